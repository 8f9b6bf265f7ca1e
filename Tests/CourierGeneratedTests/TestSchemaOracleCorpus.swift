import CourierTestAPI
import CourierWire

/// Oracle cases over the test schemas (Tests/Schemas); filled in as the schemas grow.
enum TestSchemaOracleCorpus {
  static let cases: [OracleCase] = []
}
