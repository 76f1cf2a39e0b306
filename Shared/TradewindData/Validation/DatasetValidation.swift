/// Runs `DatasetValidator` over a dataset directory: every record, read with full verification
/// (block CRCs and segment SHA-256), in order. A reader error ends the read and is itself a
/// finding; only a dataset that cannot be opened at all throws.
public enum DatasetValidation {
    public static func run(directory: String, options: DatasetValidator.Options = .init()) throws(DatasetError) -> ValidationReport {
        let reader = try DatasetReader(directory: directory)
        var validator = DatasetValidator(instruments: reader.manifest.instruments.map(\.id), options: options)
        var index: Int64 = 0
        do throws(DatasetError) {
            var cursor = try reader.events(verification: .full)
            while let record = try cursor.nextRecord() {
                validator.apply(record, index: index)
                index += 1
            }
        } catch {
            validator.readFailed(error, index: index)
        }
        return validator.report(dataset: directory, manifest: reader.manifest)
    }
}
