/// The built-in functions, by name without `$`. Each group lives in its own file of this folder
/// and exposes `static let functions: [NativeFunction]`; add a new group to `groups` below.
enum FunctionLibrary {
    static let groups: [[NativeFunction]] = [
        CoreFunctions.functions,
        StringFunctions.functions,
        RegexFunctions.functions,
        URLFunctions.functions,
        NumericFunctions.functions,
        NumberFormatFunctions.functions,
        AggregationFunctions.functions,
        ArrayFunctions.functions,
        ObjectFunctions.functions,
        DateTimeFunctions.functions,
    ]

    static let table: [String: NativeFunction] = {
        var t: [String: NativeFunction] = [:]
        for g in groups { for f in g { t[f.name] = f } }
        return t
    }()
}
