/// `$formatNumber $formatInteger $parseInteger`: numbers to and from text with XPath F&O 3.1
/// picture strings (`fn:format-number`, `fn:format-integer`); see `NumberPicture` and
/// `IntegerPicture`.
enum NumberFormatFunctions {
    private static let numberPictures = PictureCache<NumberPicture>()
    private static let integerPictures = PictureCache<IntegerPicture>()

    static let functions: [NativeFunction] = [
        NativeFunction("formatNumber", "<n-so?:s>", arity: 3) { args, ctx in
            guard let value = args[0]?.numberValue, case .string(let picture)? = args[1] else { return nil }
            do {
                let options = args[2]?.objectValue
                // Pictures with options are rare and keyed by more than their text: not cached.
                let p = try options == nil ? numberPictures.picture(picture) { try NumberPicture($0, options: nil) } : NumberPicture(picture, options: options)
                return .string(p.format(value))
            } catch var e as JSONataError {
                e.position = e.position ?? ctx.position
                throw e
            }
        },
        NativeFunction("formatInteger", "<n-s:s>", arity: 2) { args, ctx in
            guard let value = args[0]?.numberValue, case .string(let picture)? = args[1] else { return nil }
            do {
                return .string(try integerPictures.picture(picture, IntegerPicture.init).format(value.rounded(.down)))
            } catch var e as JSONataError {
                e.position = e.position ?? ctx.position
                throw e
            }
        },
        NativeFunction("parseInteger", "<s-s:n>", arity: 2) { args, ctx in
            guard case .string(let text)? = args[0], case .string(let picture)? = args[1] else { return nil }
            do {
                return try integerPictures.picture(picture, IntegerPicture.init).parse(text).map(Value.number)
            } catch var e as JSONataError {
                e.position = e.position ?? ctx.position
                throw e
            }
        },
    ]
}
