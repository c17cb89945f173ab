// A standalone reproduction of the compiler bug that keeps autodiff through the public
// (throwing) SSIM functions out of the debug-build tests (README, "Automatic differentiation").
//
// Swift 6.3.1, Linux x86-64: in a debug build (-Onone) the pullback of code that calls a
// *throwing* differentiable function whose tangent holds an array releases the gradient it
// receives once too often. valgrind reports "Invalid read ... swift_retain" in the caller's
// pullback (the program may still print the right numbers, or crash). With -O it is clean.
//
//   swiftc -Onone Scripts/autodiff-throwing-repro.swift -o /tmp/repro && valgrind /tmp/repro
//   swiftc -O     Scripts/autodiff-throwing-repro.swift -o /tmp/repro && valgrind /tmp/repro
//
// When a toolchain passes the first line cleanly, enable the autodiff tests of the public API in
// debug builds too (`autodiffEnabled` in Tests/StructuralSimilarityTests/GradientTests.swift).
import _Differentiation

struct Vector: Differentiable, AdditiveArithmetic {
    var values: [Double]
    typealias TangentVector = Vector
    static var zero: Vector { Vector(values: []) }
    static func + (a: Vector, b: Vector) -> Vector {
        if a.values.isEmpty { return b }
        if b.values.isEmpty { return a }
        return Vector(values: zip(a.values, b.values).map(+))
    }
    static func - (a: Vector, b: Vector) -> Vector { a + Vector(values: b.values.map { -$0 }) }
    mutating func move(by offset: Vector) { self = self + offset }
}

struct Invalid: Error {}

func core(_ x: Vector) -> Vector { Vector(values: x.values.map { $0 * $0 }) }

@derivative(of: core)
func coreVJP(_ x: Vector) -> (value: Vector, pullback: (Vector) -> Vector) {
    (core(x), { v in Vector(values: zip(v.values, x.values).map { 2 * $0 * $1 }) })
}

@differentiable(reverse)
func checked(_ x: Vector) throws -> Vector {
    guard !x.values.isEmpty else { throw Invalid() }
    return core(x)
}

let x = Vector(values: [1, 2, 3])
let (_, pullback) = try valueWithPullback(at: x) { a in try checked(a) }
print(pullback(Vector(values: [1, 1, 1])).values)  // [2.0, 4.0, 6.0]
