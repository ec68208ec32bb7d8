/// Parses a TOML file of ours (a source or the settings), mapping every failure to a
/// `CatalogError` that names the file and the line.
enum TOMLFile {
    static func table(text: String, fileName: String) -> Result<TOMLTable, CatalogError> {
        do {
            return .success(try TOMLParser.parse(text))
        } catch {
            return .failure(CatalogError(file: fileName, message: "not valid TOML: \(error.description)"))
        }
    }
}
