/// Parse + envelope validation over a file or a buffer, streaming transaction sets to a closure
/// while keeping only one at a time. The returned validator holds every error found.
public enum X12Reader {
    /// Streams the sets of the file at `path`; returns the envelope validator's findings.
    public static func readTransactionSets(path: String, _ deliver: @escaping (X12TransactionSetStream.Context) -> Void)
        throws(X12FileReader.ReadError) -> X12EnvelopeValidator
    {
        var pair = X12HandlerPair(X12EnvelopeValidator(), X12TransactionSetStream(deliver))
        try X12FileReader.parse(path: path, into: &pair)
        return pair.first
    }

    /// Validates the envelopes of a whole buffer without building a model (the fast path).
    public static func validate(_ bytes: UnsafeRawBufferPointer) -> X12EnvelopeValidator {
        var validator = X12EnvelopeValidator()
        X12StreamParser.parse(bytes, into: &validator)
        return validator
    }
}

extension X12Reader {
    /// Validates the envelopes of the file at `path`, read in bounded chunks, without building
    /// a model. (Non-generic, so that callers in other modules get the specialized parser.)
    public static func validate(path: String, bufferSize: Int = 1 << 16) throws(X12FileReader.ReadError) -> X12EnvelopeValidator {
        var validator = X12EnvelopeValidator()
        try X12FileReader.parse(path: path, bufferSize: bufferSize, into: &validator)
        return validator
    }
}
