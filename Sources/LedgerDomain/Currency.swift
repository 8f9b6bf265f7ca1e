/// An ISO 4217 currency the ledger knows, with the number of digits of its minor unit.
///
/// Only codes in the built-in table are accepted, so a typo ("UDS") fails loudly instead of
/// opening a currency of its own whose balances can never meet the real one's.
public struct Currency: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The three-letter code, e.g. `USD`.
  public let code: String
  /// Decimal digits of the minor unit: 2 for USD (cents), 0 for JPY, 3 for KWD.
  public let minorUnitDigits: Int

  /// Looks `code` up in the table; codes are upper case, as ISO 4217 writes them.
  /// - Throws: `LedgerError.invalidArgument` (field `currency`) when `code` is empty,
  ///   `LedgerError.unknownCurrency` when it is not in the table.
  public init(_ code: String) throws(LedgerError) {
    guard !code.isEmpty else {
      throw .invalidArgument(field: "currency", reason: "is required (an ISO 4217 code such as USD)")
    }
    guard let digits = Currency.minorUnitDigitsByCode[code] else {
      // Echo at most a few characters: the message goes back to the caller and into logs.
      throw .unknownCurrency(String(code.prefix(Currency.echoedCharactersMax)))
    }
    self.code = code
    minorUnitDigits = digits
  }

  private init(known code: String) {
    guard let digits = Currency.minorUnitDigitsByCode[code] else {
      preconditionFailure("Currency \(code) is missing from the table")
    }
    self.code = code
    minorUnitDigits = digits
  }

  /// US dollar.
  public static let usd = Currency(known: "USD")
  /// Euro.
  public static let eur = Currency(known: "EUR")
  /// Pound sterling.
  public static let gbp = Currency(known: "GBP")
  /// Japanese yen (no minor unit).
  public static let jpy = Currency(known: "JPY")

  /// Every currency the ledger knows, in code order.
  public static var all: [Currency] {
    minorUnitDigitsByCode.keys.sorted().map { Currency(known: $0) }
  }

  /// Alphabetical order of the codes.
  public static func < (lhs: Currency, rhs: Currency) -> Bool { lhs.code < rhs.code }

  /// The code, e.g. `USD`.
  public var description: String { code }

  private static let echoedCharactersMax = 16

  /// ISO 4217 codes and their minor-unit digits: the most traded currencies and more.
  private static let minorUnitDigitsByCode: [String: Int] = [
    "AED": 2, "AMD": 2, "ARS": 2, "AUD": 2, "AZN": 2, "BDT": 2, "BGN": 2, "BHD": 3, "BRL": 2,
    "BYN": 2, "CAD": 2, "CHF": 2, "CLP": 0, "CNY": 2, "COP": 2, "CRC": 2, "CZK": 2, "DKK": 2,
    "DOP": 2, "DZD": 2, "EGP": 2, "EUR": 2, "GBP": 2, "GEL": 2, "GHS": 2, "HKD": 2, "HUF": 2,
    "IDR": 2, "ILS": 2, "INR": 2, "IQD": 3, "ISK": 0, "JOD": 3, "JPY": 0, "KES": 2, "KRW": 0,
    "KWD": 3, "KZT": 2, "LKR": 2, "MAD": 2, "MXN": 2, "MYR": 2, "NGN": 2, "NOK": 2, "NZD": 2,
    "OMR": 3, "PEN": 2, "PHP": 2, "PKR": 2, "PLN": 2, "PYG": 0, "QAR": 2, "RON": 2, "RSD": 2,
    "SAR": 2, "SEK": 2, "SGD": 2, "THB": 2, "TND": 3, "TRY": 2, "TWD": 2, "TZS": 2, "UAH": 2,
    "UGX": 0, "USD": 2, "UYU": 2, "UZS": 2, "VND": 0, "XAF": 0, "XOF": 0, "ZAR": 2,
  ]
}
