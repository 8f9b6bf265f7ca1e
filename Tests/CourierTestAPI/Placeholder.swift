// Placeholder until generated or written.
