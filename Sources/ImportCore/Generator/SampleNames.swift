/// The word lists the generator draws from: varied, realistic names (some needing CSV quoting or
/// non-ASCII letters) with the ASCII form used in email addresses.
enum SampleNames {
    /// A name as shown in the file, and its lowercase ASCII form for the email local part.
    struct Name: Sendable {
        let display: String
        let slug: String
    }

    /// Given names, mostly ASCII, a few with accents.
    static let firstNames: [Name] =
        [
            "Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Tim", "Radia",
            "Donald", "Hedy", "John", "Katherine", "Edsger", "Annie", "Niklaus", "Karen", "Bjarne", "Sophie",
            "Guido", "Shafi", "Leslie", "Mary", "James", "Priya", "Wei", "Fatima", "Kwame", "Aiko", "Olga",
            "Mateo", "Amara", "Lucas", "Ingrid", "Ravi", "Mei", "Omar", "Elena", "Noah", "Zara", "Hiroshi",
            "Nadia", "Tariq", "Chloe", "Diego", "Yuki", "Leila", "Arjun",
        ].map { Name(display: $0, slug: $0.lowercased()) } + [
            Name(display: "José", slug: "jose"), Name(display: "Zoë", slug: "zoe"),
            Name(display: "Björn", slug: "bjorn"), Name(display: "Siobhán", slug: "siobhan"),
            Name(display: "Łukasz", slug: "lukasz"), Name(display: "Renée", slug: "renee"),
        ]

    /// Family names, some with an apostrophe, a space, a comma or non-ASCII letters.
    static let lastNames: [Name] =
        [
            "Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen",
            "Berners-Lee", "Perlman", "Knuth", "Lamarr", "Backus", "Johnson", "Dijkstra", "Easley", "Wirth",
            "Jones", "Stroustrup", "Wilson", "Rossum", "Goldwasser", "Lamport", "Keller", "Gosling", "Patel",
            "Zhang", "Khan", "Mensah", "Tanaka", "Ivanova", "Rossi", "Okafor", "Silva", "Larsen", "Kumar",
            "Chen", "Haddad", "Popescu", "Smith", "Nakamura", "Kowalski", "Dubois", "Ahmed", "Novak", "Fischer",
            "Moreau", "Schmidt", "Walker",
        ].map { Name(display: $0, slug: $0.lowercased().replacingHyphens()) } + [
            Name(display: "O'Brien", slug: "obrien"), Name(display: "García Márquez", slug: "garcia.marquez"),
            Name(display: "van der Berg", slug: "vanderberg"), Name(display: "Nguyễn", slug: "nguyen"),
            Name(display: "Müller", slug: "muller"), Name(display: "Smith, Jr.", slug: "smith"),
        ]

    /// Organization names; the generator spreads users over the first N (numbered past the list's end).
    static let organizations: [String] = [
        "Northwind", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Acme", "Hooli", "Vandelay",
        "Soylent", "Tyrell", "Cyberdyne", "Wonka", "Gringotts", "Oscorp", "Aperture",
    ]

    /// Values for the `team` metadata key.
    static let departments = [
        "Engineering", "Sales", "Marketing", "Support", "Finance", "Legal", "Design", "Operations", "People",
    ]
    /// Values for the `plan` metadata key.
    static let plans = ["free", "pro", "team", "enterprise"]
    /// Values for the optional `region` metadata key.
    static let regions = ["us-east", "us-west", "eu-central", "ap-south"]
}

extension String {
    /// Hyphens and spaces removed, for email local parts.
    fileprivate func replacingHyphens() -> String {
        String(unicodeScalars.filter { $0 != "-" && $0 != " " })
    }
}
