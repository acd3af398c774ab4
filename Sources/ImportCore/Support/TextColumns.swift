/// Lines text up in columns for the tables printed on a terminal (the summary boxes, the field coverage
/// table), so every table pads the same way and a width is worked out in one place.
///
/// Widths count characters, as the tables always have: the labels and numbers they hold are ASCII or
/// single-width symbols.
public enum TextColumns {
    /// `text` followed by spaces up to `width` characters; text already as wide or wider is left as it is.
    public static func left(_ text: String, width: Int) -> String {
        text + spaces(width - text.count)
    }

    /// Spaces, then `text`, up to `width` characters: numbers line up on their last digit.
    public static func right(_ text: String, width: Int) -> String {
        spaces(width - text.count) + text
    }

    /// The width of the widest of `texts`, 0 when there are none.
    public static func width(of texts: some Sequence<String>) -> Int {
        texts.reduce(0) { max($0, $1.count) }
    }

    /// `count` spaces, none when `count` is not positive.
    public static func spaces(_ count: Int) -> String {
        String(repeating: " ", count: max(0, count))
    }
}
