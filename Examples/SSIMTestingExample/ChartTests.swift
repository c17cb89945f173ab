import Foundation
import SSIMFormats
import SSIMTesting
import Testing

/// A bar chart drawn as a PNG, as an app would render it.
func renderChart(values: [Int] = [30, 55, 42, 70, 25]) throws -> Data {
    var image = RGB8Image(width: 120, height: 80, color: (250, 250, 250))
    for (index, value) in values.enumerated() {
        image.fill(x: 10 + index * 22, y: 75 - value, width: 16, height: value, color: (40, 110, 220))
    }
    image.fill(x: 5, y: 75, width: 112, height: 1, color: (60, 60, 60))
    return Data(try ImageFile.encodePNG(image))
}

// The reference is __References__/ChartTests/chart.png, recorded by the first run.
@Test func chartLooksLikeItsReference() throws {
    try expectSimilar(try renderChart(), toReference: "chart", minimumSSIM: 0.99)
}
