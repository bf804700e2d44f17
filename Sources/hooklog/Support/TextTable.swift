/// Rows of text in aligned columns, for people: each column as wide as its widest cell.
struct TextTable {
    private var rows: [[String]]

    /// A table whose first row is `header`.
    init(header: [String]) {
        self.rows = [header]
    }

    /// Adds a row; missing cells are empty.
    mutating func append(_ row: [String]) {
        self.rows.append(row)
    }

    /// The table's lines, each indented by `indent`, without trailing spaces.
    func lines(indent: String = "  ") -> [String] {
        let columnCount = self.rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columnCount)
        for row in self.rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        return self.rows.map { row in
            var line = indent
            for (index, cell) in row.enumerated() {
                line += cell
                if index < row.count - 1 { line += String(repeating: " ", count: widths[index] - cell.count + 2) }
            }
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}
