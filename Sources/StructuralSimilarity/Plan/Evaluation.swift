#if canImport(_Differentiation)
import _Differentiation
#endif

/// The one evaluation path of every comparison: runs the plan's forward pass and returns its
/// map or reduced loss. It never throws (the plan was checked when it was built), so it carries
/// the derivative (Swift 6.3.1 miscompiles a derivative registered on a throwing function in
/// debug builds; see the Automatic Differentiation article).
///
/// ```swift
/// let plan = try VolumePlan<Float>(v1.shape, v2.shape, windowSize: 7, maxValue: 1, eps: 1e-12,
///                                  padding: .same, target: .map)
/// let map = evaluate(v1, v2, plan)
/// ```
func evaluate<Plan: KernelPlan>(_ x: Tensor<Plan.Scalar>, _ y: Tensor<Plan.Scalar>, _ plan: Plan) -> Tensor<Plan.Scalar> {
    let (values, sum) = plan.forward(x.scalars, y.scalars)
    return plan.result(values: values, sum: sum)
}

#if canImport(_Differentiation)
/// The pullback of every comparison: the plan's hand-derived backward pass.
@derivative(of: evaluate, wrt: (x, y))
func _vjpEvaluate<Plan: KernelPlan>(
    _ x: Tensor<Plan.Scalar>, _ y: Tensor<Plan.Scalar>, _ plan: Plan
) -> (value: Tensor<Plan.Scalar>, pullback: (Tensor<Plan.Scalar>) -> (Tensor<Plan.Scalar>, Tensor<Plan.Scalar>)) {
    (
        evaluate(x, y, plan),
        { upstream in
            let gradients = plan.backward(x.scalars, y.scalars, seed: upstream, wantsY: true, wantsValues: false)
            return (Tensor(uncheckedShape: x.shape, scalars: gradients.dx), Tensor(uncheckedShape: y.shape, scalars: gradients.dy))
        }
    )
}
#endif

/// The result of a loss plan and its gradient with respect to `prediction`, from one backward
/// pass (which sums the loss on its way), without automatic differentiation: every toolchain and
/// build has it. For `.none` the gradient is that of the sum of the loss map.
func evaluateWithGradient<Plan: KernelPlan>(
    _ prediction: Tensor<Plan.Scalar>, _ target: Tensor<Plan.Scalar>, _ plan: Plan
) -> (value: Tensor<Plan.Scalar>, gradient: Tensor<Plan.Scalar>) {
    let gradients = plan.backward(prediction.scalars, target.scalars, seed: Tensor(1), wantsY: false, wantsValues: true)
    return (plan.result(values: gradients.values, sum: gradients.sum), Tensor(uncheckedShape: prediction.shape, scalars: gradients.dx))
}
