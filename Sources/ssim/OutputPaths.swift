import Foundation
import SSIMFormats

/// The outputs a comparison writes: the SSIM map, the loss map and the gradient.
///
/// Comparing two files, each is a file path (`--map` picks a heat-map or raw values by its
/// extension). Comparing two folders, each is a folder receiving one file per pair, named after
/// the pair: `NAME.ssim-map.png` (`NAME.ssim-map.npy` for volumes), `NAME.loss-map.npy`, `NAME.grad.npy`, `NAME.diff.png`.
struct OutputPaths {
    var map: String?
    var lossMap: String?
    var gradient: String?
    /// `--diff`: the overlay of IMAGE1 with the regions that differ boxed (a `.png`).
    var diff: String?
    /// `--components`: the folder receiving the SSIM components as `.npy` files (see
    /// ``componentFiles``).
    var components: String?
    /// What the component files' names start with: nothing for two files, `NAME.` for the pair
    /// `NAME` of a folder comparison.
    var componentsPrefix = ""
    /// Whether a `.png` map path may become `.npy` for a pair of volumes, whose 3-D map has no
    /// heat-map: the files named by a folder comparison (`NAME.ssim-map.png` becomes
    /// `NAME.ssim-map.npy`); a path the user gave is refused instead.
    var volumeMapAsNumPy = false

    /// The paths given, with the option that gave each.
    var all: [(option: String, path: String)] {
        [("--map", map), ("--loss-map", lossMap), ("--grad", gradient), ("--diff", diff)].compactMap { option, path in
            path.map { (option, $0) }
        }
    }

    /// The files of `--components`: `luminance.npy`, `contrast.npy`, `structure.npy` and
    /// `contrast-structure.npy` in its folder, each name after ``componentsPrefix``.
    var componentFiles: [(name: String, path: String)] {
        guard let components else { return [] }
        return ["luminance", "contrast", "structure", "contrast-structure"].map {
            ($0, (components as NSString).appendingPathComponent(componentsPrefix + $0 + ".npy"))
        }
    }

    /// The files to write for the pair named `name`, when each output is a folder.
    func files(forPairNamed name: String) -> OutputPaths {
        func file(in folder: String, _ suffix: String) -> String {
            (folder as NSString).appendingPathComponent(name + suffix)
        }
        return OutputPaths(
            map: map.map { file(in: $0, ".ssim-map.png") },
            lossMap: lossMap.map { file(in: $0, ".loss-map.npy") },
            gradient: gradient.map { file(in: $0, ".grad.npy") },
            diff: diff.map { file(in: $0, ".diff.png") },
            components: components, componentsPrefix: name + ".",
            volumeMapAsNumPy: true)
    }

    /// Checks the outputs of a comparison of two files before any work is done: the right
    /// extensions, no two outputs the same file, none of them an input, each in an existing folder.
    /// `lossMapHeatMap`: the loss map may also be a `.png` heat-map (MS-SSIM's `(1, H, W)` map).
    func checkFiles(inputs: [String], lossMapHeatMap: Bool = false) throws {
        if lossMapHeatMap, let path = lossMap, ![.npy, .png].contains(FileFormat(pathExtensionOf: path)) {
            throw UsageError(description: "--loss-map writes .png (heat-map) or .npy (values) with --loss ms-ssim; '\(path)' is neither")
        }
        for (option, path) in lossMapHeatMap ? [("--grad", gradient)] : [("--loss-map", lossMap), ("--grad", gradient)] {
            if let path, FileFormat(pathExtensionOf: path) != .npy {
                throw UsageError(description: "\(option) writes .npy files; '\(path)' does not end in .npy")
            }
        }
        if let diff, FileFormat(pathExtensionOf: diff) != .png {
            throw UsageError(description: "--diff writes a .png picture; '\(diff)' does not end in .png")
        }
        if let map, ![.npy, .png].contains(FileFormat(pathExtensionOf: map)) {
            throw UsageError(description: "--map writes .png (heat-map) or .npy (values); '\(map)' is neither")
        }
        if let components { try Self.prepareFolder(components, option: "--components", inputs: inputs, comparingFolders: false) }
        let outputs = all + componentFiles.map { ("--components", $0.path) }
        for (index, output) in outputs.enumerated() {
            try OutputFile.checkNotAnInput(output.path, inputs: inputs)
            if let earlier = outputs[..<index].first(where: { $0.path == output.path }) {
                throw UsageError(description: "\(earlier.option) and \(output.option) both write '\(output.path)'; give each its own file")
            }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: output.path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw FormatError.outputNotWritable(path: output.path, reason: "it is a folder")
            }
            let folder = (output.path as NSString).deletingLastPathComponent
            if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) || !isDirectory.boolValue {
                throw FormatError.outputNotWritable(path: output.path, reason: "the folder '\(folder)' does not exist")
            }
        }
    }

    /// Checks the output folders of a comparison of two folders and creates the missing ones.
    /// An output folder may not be an input folder: its files would become inputs of the next run.
    func prepareFolders(inputs: [String]) throws {
        for (option, path) in all + (components.map { [("--components", $0)] } ?? []) {
            try Self.prepareFolder(path, option: option, inputs: inputs, comparingFolders: true)
        }
    }

    /// Checks that the output folder `path` is not an input and not a file, and creates it if missing.
    private static func prepareFolder(_ path: String, option: String, inputs: [String], comparingFolders: Bool) throws {
        do {
            try OutputFile.checkNotAnInput(path, inputs: inputs)
        } catch {
            let what = comparingFolders ? "one of the folders being compared" : "one of the inputs"
            throw UsageError(description: "\(option) '\(path)' is \(what); write the outputs to another folder")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw UsageError(description: "\(comparingFolders ? "comparing folders, " : "")\(option) takes a folder, and '\(path)' is a file")
            }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw FormatError.outputNotWritable(path: path, reason: "the folder cannot be created")
            }
        }
    }
}
