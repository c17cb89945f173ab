import Foundation
import Testing

/// `ssim demo`: the README's first command.
@Suite struct DemoTests {
    @Test func theDemoRanksEqualMSEDistortionsAsWangEtAlDo() throws {
        let directory = try CLI.temporaryDirectory() + "/out"
        let run = try CLI.run(["demo", "--output", directory])
        #expect(run.status == 0, "\(run.err)")
        // distortion, MSE, PSNR, SSIM, DSSIM per row.
        var ssim: [String: Double] = [:]
        for line in run.lines {
            let fields = line.split(separator: " ")
            if fields.count == 5, let value = Double(fields[3]), let mse = Double(fields[1]) {
                ssim[String(fields[0])] = value
                #expect(abs(mse - 0.0025) < 0.0003, "\(line): the distortions have about the same MSE")
            }
        }
        #expect(Set(ssim.keys) == ["brightness", "contrast", "noise", "blur", "jpeg"])
        // Same MSE, very different SSIM: structure-preserving changes score high, noise low.
        #expect((ssim["brightness"] ?? 0) > 0.95 && (ssim["contrast"] ?? 0) > 0.95)
        #expect((ssim["noise"] ?? 1) < 0.6)
        #expect((ssim["noise"] ?? 1) < (ssim["jpeg"] ?? 0) && (ssim["jpeg"] ?? 1) < (ssim["blur"] ?? 0))
        let files = try CLI.files(in: directory)
        #expect(files.contains("reference.png") && files.contains("noise.png") && files.contains("noise-ssim-map.png"))
    }
}
