import Testing

/// Every tag the end-to-end suites use, declared once here rather than beside whichever suite used it first.
extension Tag {
    /// Tests that run the real command against a real emulator.
    @Tag static var endToEnd: Self
}
