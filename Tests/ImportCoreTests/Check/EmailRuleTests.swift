import ImportCore
import Testing

/// The email rule as a user sees it: the address in a CSV row, and the sentence the dry run prints.
@Suite("Email addresses, as WorkOS checks them")
struct EmailRuleTests {
    private func validate(_ email: String) throws -> RowValidation {
        let validator = try RowValidator(header: ["email"])
        return validator.validate(CSVRecord(recordNumber: 1, line: 2, byteOffset: 0, fields: [email]))
    }

    @Test(
        "Addresses WorkOS accepts pass, including plus-addresses, international domains and quoted local parts",
        arguments: [
            "a+tag@example.com", "user@bücher.de", "user@例え.jp", "ünïcödé@example.com", "o'brien@example.ie",
            "a.b-c_d@sub-domain.example.co.uk", "a@xn--bcher-kva.de", "a@example.xn--p1ai", "\"john doe\"@example.com",
            "\"a@b\"@example.com", "#!$%&'*+-/=?^_`{|}~@example.com", "A@EXAMPLE.COM", "a@b.cd",
            String(repeating: "a", count: 64) + "@example.com",
            "a@" + String(repeating: "b", count: 63) + ".com", "user@пример.рф", "a@1.2.3.example",
        ])
    func accepted(email: String) throws {
        let result = try validate(email)
        guard case .valid(let row, let warnings) = result else {
            Issue.record("\(email) should pass, got \(result)")
            return
        }
        #expect(row.email == email)
        #expect(warnings.isEmpty)
    }

    @Test(
        "Addresses WorkOS refuses fail with a reason that says why",
        arguments: [
            ("a..b@example.com", "two dots in a row before the \"@\""),
            (".a@example.com", "it starts with a dot"),
            ("a.@example.com", "a dot comes right before the \"@\""),
            ("mailto:a@example.com", "it starts with \"mailto:\"; give only the address"),
            ("MailTo:a@example.com", "it starts with \"mailto:\"; give only the address"),
            ("<a@example.com>", "it has angle brackets; give only the address, without a name or <>"),
            ("Ann <a@example.com>", "it has angle brackets; give only the address, without a name or <>"),
            ("a@exa_mple.com", "its domain contains an underscore"),
            ("a@example.c", "its top-level domain \"c\" is shorter than 2 letters"),
            ("a@example.c0m", "its top-level domain \"c0m\" may only hold letters"),
            (
                "a@1.2.3.4",
                "its domain ends in a number; WorkOS needs a domain name like example.com, not an IP address"
            ),
            ("a@[1.2.3.4]", "its domain contains \"[\""),
            ("a@-example.com", "a part of its domain starts or ends with a hyphen"),
            ("a@example-.com", "a part of its domain starts or ends with a hyphen"),
            ("a@example..com", "its domain has an empty part (a leading or doubled dot)"),
            ("a(b)@example.com", "the part before the \"@\" contains \"(\""),
            ("a,b@example.com", "the part before the \"@\" contains \",\""),
            ("a\"b@example.com", "the part before the \"@\" contains '\"'"),
            ("\"a\"b\"@example.com", "its quoted part before the \"@\" has a \" that is not escaped with \\"),
            ("a@ｅｘａｍｐｌｅ.com", "its domain contains full-width characters; write them in their normal width"),
            (
                "😀@example.com",
                "the part before the \"@\" contains the character U+1F600, which WorkOS does not accept there"
            ),
            ("a@example.co😀", "its top-level domain \"co😀\" may only hold letters"),
            (String(repeating: "a", count: 65) + "@example.com", "the part before the \"@\" is longer than 64 bytes"),
            ("a@" + String(repeating: "b", count: 64) + ".com", "a part of its domain is longer than 63 characters"),
            ("a@exa mple.com", "it contains a space"),
            ("a@example.com\u{3000}x", "it contains a space"),
        ])
    func refused(email: String, reason: String) throws {
        let result = try validate(email)
        guard case .invalid(let problem, _) = result else {
            Issue.record("\(email) should fail, got \(result)")
            return
        }
        #expect(problem.message.hasSuffix("is not a valid address (\(reason))"), "\(problem.message)")
        #expect(problem.message.hasPrefix("line 2: email \""))
    }

    @Test("The message names the address and the reason in one sentence")
    func sentence() throws {
        guard case .invalid(let problem, _) = try validate("a..b@example.com") else {
            Issue.record("expected invalid")
            return
        }
        #expect(
            problem.message
                == "line 2: email \"a..b@example.com\" is not a valid address (two dots in a row before the \"@\")")
    }
}
