import Testing
@testable import SSIMFormats

@Suite struct NumPyHeaderTests {
    @Test(arguments: [
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
        "{\"shape\": (2,3), \"fortran_order\": False, \"descr\": \"<f4\"}",
        "{ 'descr' : '<f4' , 'fortran_order' : False , 'shape' : ( 2L , 3L , ) }   \n",
    ])
    func parsesTheLiteralsNumPyAndPython2Write(text: String) throws {
        #expect(try NumPyHeader(parsing: Array(text.utf8)) == NumPyHeader(descr: "<f4", shape: [2, 3]))
    }

    @Test func keepsAStructuredDTypeAsText() throws {
        let header = try NumPyHeader(parsing: Array("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': ()}".utf8))
        #expect(header.descr == "[('a', '<f4')]" && header.shape == [])
    }

    @Test(arguments: [
        "", "{", "{'descr': '<f4'", "{'descr': '<f4', 'fortran_order': Maybe, 'shape': ()}",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}", "{'descr: 1}", "{} x",
    ])
    func rejectsMalformedText(text: String) {
        #expect(throws: NumPyHeader.HeaderError.self) { try NumPyHeader(parsing: Array(text.utf8)) }
    }

    @Test func padsToSixtyFourBytesAndSwitchesToVersionTwoForLongHeaders() throws {
        let short = NumPyHeader(descr: "<f8", shape: [7]).encoded()
        #expect(short.count % 64 == 0 && short[6] == 1 && short.last == 0x0A)
        #expect(String(decoding: short[10...], as: UTF8.self).hasPrefix("{'descr': '<f8', 'fortran_order': False, 'shape': (7,), }"))

        let long = NumPyHeader(descr: "<f4", shape: Array(repeating: 1, count: 30_000)).encoded()
        #expect(long.count % 64 == 0 && long[6] == 2)
        let length = (0..<4).reduce(0) { $0 | Int(long[8 + $1]) << (8 * $1) }
        #expect(length == long.count - 12)
        #expect(try NumPyHeader(parsing: Array(long[12...])).shape.count == 30_000)
    }

    @Test func writesShapesAsPythonTuples() {
        #expect(NumPyHeader.pythonTuple([]) == "()")
        #expect(NumPyHeader.pythonTuple([3]) == "(3,)")
        #expect(NumPyHeader.pythonTuple([1, 2]) == "(1, 2)")
    }
}
