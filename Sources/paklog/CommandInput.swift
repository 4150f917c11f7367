import ArgumentParser
import Foundation
import Mapping

/// The bytes of `file`, or of standard input for `-`; nil when it cannot be read.
func contents(of file: String) -> [UInt8]? {
    let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file)
    return data.map { [UInt8]($0) }
}

/// The bytes of `file` (or standard input for `-`); "cannot read" and exit status 2 otherwise.
func readInput(_ file: String) throws -> [UInt8] {
    guard let bytes = contents(of: file) else {
        FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
        throw ExitCode(2)
    }
    return bytes
}

/// The mapping file at `path`; every diagnostic and exit status 2 when it does not load.
func loadMapping(_ path: String) throws -> MappingFile {
    do {
        return try MappingFile.load(path: path)
    } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        throw ExitCode(2)
    }
}
