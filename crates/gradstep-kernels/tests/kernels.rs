//! Native tests of every kernel: the chunked body (with the emulated f32x4 lane) against the scalar
//! path at every length that leaves a different tail, and three-step results against the float64
//! reference values of torch.optim 2.13 (../shared/reference/optimizers.md §12).

use gradstep_kernels::lane::{EmulatedF32x4, Lane};
use gradstep_kernels::rules::apply_lanes;
use gradstep_kernels::{flags, step_tensor, step_tensor_lanes, Kernel, RmspropRule, StepError, TensorSlices, SCALARS};

/// Deterministic pseudo-random floats spanning several magnitudes and both signs, with exact zeros.
fn values(seed: u32, n: usize) -> Vec<f32> {
    let mut x = seed.wrapping_mul(2654435761).wrapping_add(1);
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            if x.is_multiple_of(11) {
                return 0.0;
            }
            let mantissa = (x % 20001) as f32 / 10000.0 - 1.0;
            mantissa * 10f32.powi((x % 6) as i32 - 4)
        })
        .collect()
}

/// The scalars a kernel receives at each step.
type ScalarsForStep = dyn Fn(usize) -> [f32; SCALARS];

struct Run {
    value: Vec<f32>,
    state: [Vec<f32>; 3],
}

/// Five steps of `kernel` over a tensor of length n, with lane type `L` for the body.
fn run<L: Lane>(
    kernel: Kernel,
    flags_for_step: &dyn Fn(usize) -> u32,
    scalars_for_step: &dyn Fn(usize) -> [f32; SCALARS],
    n: usize,
    initial_state: f32,
) -> Run {
    let mut value = values(1, n);
    let mut state = [vec![initial_state; n], vec![0.0; n], vec![0.0; n]];
    for step in 0..5 {
        let grad = values(100 + step as u32, n);
        let [s0, s1, s2] = &mut state;
        step_tensor_lanes::<L>(
            kernel as u32,
            flags_for_step(step),
            &scalars_for_step(step),
            TensorSlices { value: &mut value, grad: &grad, state: [s0, s1, s2] },
        )
        .unwrap();
    }
    Run { value, state }
}

fn same_bits(a: &[f32], b: &[f32]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()))
}

fn scalars(values: &[f32]) -> [f32; SCALARS] {
    let mut s = [0.0; SCALARS];
    s[..values.len()].copy_from_slice(values);
    s
}

/// Every combination of the option bits (FIRST_STEP is added on the first step where it applies).
const ALL_OPTION_BITS: u32 = flags::MAXIMIZE
    | flags::L2_WEIGHT_DECAY
    | flags::DECOUPLED_WEIGHT_DECAY
    | flags::MOMENTUM
    | flags::NESTEROV
    | flags::CENTERED
    | flags::AMSGRAD
    | flags::RECTIFY;

#[test]
fn simd_body_and_scalar_tail_agree_for_every_kernel_flag_combination_and_length() {
    let adam_scalars = |step: usize| {
        let t = step as f64 + 1.0;
        scalars(&[
            (1e-3 / (1.0 - 0.9f64.powf(t))) as f32,
            (1.0 / (1.0 - 0.999f64.powf(t)).sqrt()) as f32,
            0.1,
            0.999,
            0.001,
            1e-8,
            0.05,
            0.9995,
        ])
    };
    let kernels: [(Kernel, &ScalarsForStep, f32); 9] = [
        (Kernel::Sgd, &|_| scalars(&[0.05, 0.1, 0.9, 0.5]), 0.0),
        (Kernel::Adagrad, &|_| scalars(&[0.1, 0.05, 1e-10]), 0.1),
        (Kernel::Adadelta, &|_| scalars(&[1.0, 0.02, 0.9, 0.1, 1e-6]), 0.0),
        (Kernel::Rmsprop, &|_| scalars(&[0.01, 0.03, 0.99, 0.01, 1e-8, 0.7]), 0.0),
        (Kernel::Adam, &adam_scalars, 0.0),
        (Kernel::Adamax, &|_| scalars(&[0.002, 0.1, 0.999, 1e-8, 0.05]), 0.0),
        (Kernel::Nadam, &|_| scalars(&[-0.001, -0.002, 0.01, 1e-8, 0.1, 0.999, 0.001, 0.05]), 0.0),
        (Kernel::Radam, &|_| scalars(&[0.3, 0.001, 0.1, 1e-8, 0.1, 0.999, 0.001, 0.05]), 0.0),
        (Kernel::Lion, &|_| scalars(&[1e-4, 0.9, 0.1, 0.99, 0.01, 0.999]), 0.0),
    ];
    for options in 0..=ALL_OPTION_BITS {
        if options & !ALL_OPTION_BITS != 0 {
            continue;
        }
        let flags_for_step = |step: usize| options | if step == 0 { flags::FIRST_STEP } else { 0 };
        for (kernel, scalars_for_step, initial_state) in &kernels {
            for n in 0..=33 {
                let scalar = run::<f32>(*kernel, &flags_for_step, scalars_for_step, n, *initial_state);
                let vector = run::<EmulatedF32x4>(*kernel, &flags_for_step, scalars_for_step, n, *initial_state);
                assert!(same_bits(&scalar.value, &vector.value), "{kernel:?} flags {options:#x}: values differ at length {n}");
                for k in 0..3 {
                    assert!(
                        same_bits(&scalar.state[k], &vector.state[k]),
                        "{kernel:?} flags {options:#x}: state {k} differs at length {n}"
                    );
                }
            }
        }
    }
}

// ../shared/reference/optimizers.md §12: p0, three fixed gradients, p after step 3 (torch, float64).
const P0: [f32; 5] = [1.0, -0.5, 0.25, 2.0, 0.0];
const GRADS: [[f32; 5]; 3] = [[0.1, -0.2, 0.0, 0.4, 1e-6], [0.05, 0.1, -0.2, -0.3, -1e-6], [-0.3, 0.25, 0.1, 0.2, 2e-6]];

fn three_steps(
    kernel: Kernel,
    flags_for_step: &dyn Fn(usize) -> u32,
    scalars_for_step: &dyn Fn(usize) -> [f32; SCALARS],
    initial_state: f32,
) -> Vec<f32> {
    let mut value = P0.to_vec();
    let mut state = [vec![initial_state; 5], vec![0.0; 5], vec![0.0; 5]];
    for (step, grad) in GRADS.iter().enumerate() {
        let [s0, s1, s2] = &mut state;
        step_tensor(
            kernel as u32,
            flags_for_step(step),
            &scalars_for_step(step),
            TensorSlices { value: &mut value, grad, state: [s0, s1, s2] },
        )
        .unwrap();
    }
    value
}

fn assert_close(name: &str, got: &[f32], expected: &[f64]) {
    for (i, (&g, &e)) in got.iter().zip(expected).enumerate() {
        let tolerance = 2e-4 * (e.abs() + 1e-3);
        assert!((g as f64 - e).abs() <= tolerance, "{name}[{i}]: got {g}, expected {e}");
    }
}

#[test]
fn sgd_matches_torch_reference_values() {
    let momentum = |step: usize| flags::MOMENTUM | if step == 0 { flags::FIRST_STEP } else { 0 };
    let p = three_steps(Kernel::Sgd, &momentum, &|_| scalars(&[0.1, 0.0, 0.9, 1.0]), 0.0);
    assert_close("sgd momentum", &p, &[0.9934, -0.4898, 0.278, 1.9286, -2.81e-07]);
    let p = three_steps(Kernel::Sgd, &|s| momentum(s) | flags::NESTEROV, &|_| scalars(&[0.1, 0.0, 0.9, 1.0]), 0.0);
    assert_close("sgd nesterov", &p, &[1.00906, -0.50582, 0.2852, 1.90574, -4.529e-07]);
    let p = three_steps(Kernel::Sgd, &|s| momentum(s) | flags::L2_WEIGHT_DECAY, &|_| scalars(&[0.1, 0.1, 0.9, 0.5]), 0.0);
    assert_close("sgd dampening wd", &p, &[0.941967, -0.447461875, 0.2536036875, 1.8280135, -2.743525e-07]);
    let p = three_steps(Kernel::Sgd, &|s| momentum(s) | flags::MAXIMIZE, &|_| scalars(&[0.1, 0.0, 0.9, 1.0]), 0.0);
    assert_close("sgd maximize", &p, &[1.0066, -0.5102, 0.222, 2.0714, 2.81e-07]);
}

#[test]
fn adagrad_matches_torch_reference_values() {
    let p = three_steps(Kernel::Adagrad, &|_| 0, &|_| scalars(&[0.1, 0.0, 1e-10]), 0.0);
    assert_close("adagrad", &p, &[0.9489828977, -0.5192569588, 0.3052786404, 1.922860932, -0.1109306474]);
    let p = three_steps(Kernel::Adagrad, &|_| 0, &|_| scalars(&[0.1, 0.0, 1e-7]), 0.1);
    assert_close("adagrad acc0", &p, &[1.021608411, -0.5266002509, 0.2776323518, 1.940237182, -6.32455332e-07]);
    let decayed = |step: usize| scalars(&[(0.1 / (1.0 + step as f64 * 0.1)) as f32, 0.1, 1e-10]);
    let p = three_steps(Kernel::Adagrad, &|_| flags::L2_WEIGHT_DECAY, &decayed, 0.0);
    assert_close("adagrad lr_decay wd", &p, &[0.9029738988, -0.47361091, 0.1939799087, 1.871371275, -0.001560958447]);
}

#[test]
fn adadelta_matches_torch_reference_values() {
    let p = three_steps(Kernel::Adadelta, &|_| 0, &|_| scalars(&[1.0, 0.0, 0.9, 0.1, 1e-6]), 0.0);
    assert_close("adadelta", &p, &[0.9993298903, -0.5026700437, 0.2510770952, 1.997547196, -1.999999614e-06]);
}

#[test]
fn rmsprop_matches_torch_reference_values() {
    let s = scalars(&[0.01, 0.0, 0.9, 0.1, 1e-7, 0.9]);
    let p = three_steps(Kernel::Rmsprop, &|_| 0, &|_| s, 0.0);
    assert_close("rmsprop", &p, &[0.9835807788, -0.5076477344, 0.2668785527, 1.975354898, -0.0287389259]);
    let p = three_steps(Kernel::Rmsprop, &|_| flags::CENTERED | flags::MOMENTUM, &|_| s, 0.0);
    assert_close("rmsprop centered momentum", &p, &[0.9093195409, -0.4627867081, 0.2984854031, 1.934157691, -0.05635162315]);
}

fn adam_scalars(lr: f64, wd: f64, eps_hat: bool) -> impl Fn(usize) -> [f32; SCALARS] {
    move |step| {
        let t = step as f64 + 1.0;
        let (bc1, bc2) = (1.0 - 0.9f64.powf(t), 1.0 - 0.999f64.powf(t));
        let (step_size, inverse_bc2_sqrt) = if eps_hat { (lr * bc2.sqrt() / bc1, 1.0) } else { (lr / bc1, 1.0 / bc2.sqrt()) };
        scalars(&[step_size as f32, inverse_bc2_sqrt as f32, 0.1, 0.999, 0.001, 1e-8, wd as f32, (1.0 - lr * wd) as f32])
    }
}

#[test]
fn adam_matches_torch_and_keras_reference_values() {
    let p = three_steps(Kernel::Adam, &|_| 0, &adam_scalars(0.1, 0.0, false), 0.0);
    assert_close("adam", &p, &[0.8415044067, -0.407281284, 0.3472777129, 1.860915514, -0.1432733182]);
    let p = three_steps(Kernel::Adam, &|_| flags::AMSGRAD, &adam_scalars(0.1, 0.0, false), 0.0);
    assert_close("adam amsgrad", &p, &[0.8415044067, -0.407281284, 0.3472777129, 1.860915514, -0.1432733182]);
    let p = three_steps(Kernel::Adam, &|_| flags::L2_WEIGHT_DECAY, &adam_scalars(0.1, 0.1, false), 0.0);
    assert_close("adam l2", &p, &[0.78914991, -0.3648660945, 0.2218829073, 1.779112161, 0.04661679763]);
    let p = three_steps(Kernel::Adam, &|_| flags::DECOUPLED_WEIGHT_DECAY, &adam_scalars(0.1, 0.1, false), 0.0);
    assert_close("adamw", &p, &[0.8147255861, -0.3946871209, 0.3391083261, 1.803592839, -0.1413551316]);
    let p = three_steps(Kernel::Adam, &|_| 0, &adam_scalars(0.1, 0.0, true), 0.0);
    assert_close("adam eps-hat (keras)", &p, &[0.8415049325, -0.4072814429, 0.3472775699, 1.860915612, -0.115799673]);
}

#[test]
fn adamax_nadam_radam_lion_match_reference_values() {
    let bc = |beta: f64, step: usize| 1.0 - beta.powf(step as f64 + 1.0);
    let p = three_steps(Kernel::Adamax, &|_| 0, &|step| scalars(&[(0.01 / bc(0.9, step)) as f32, 0.1, 0.999, 1e-8, 0.0]), 0.0);
    assert_close("adamax", &p, &[0.9847644262, -0.4905199362, 0.2567406498, 1.98686187, -0.01288633833]);

    // NAdam: μ_t = β1(1 − ½·0.96^(tψ)), Π μ rounded to float32 each step as torch's tensor.
    let mu = |t: f64| 0.9 * (1.0 - 0.5 * 0.96f64.powf(t * 0.004));
    let nadam = |step: usize| {
        let t = step as f64 + 1.0;
        let product: f64 = (1..=step + 1).fold(1.0f32, |acc, k| acc * mu(k as f64) as f32) as f64;
        let next = product * mu(t + 1.0);
        let c1 = 0.01 * (1.0 - mu(t)) / (1.0 - product);
        let c2 = 0.01 * mu(t + 1.0) / (1.0 - next);
        scalars(&[c1 as f32, c2 as f32, bc(0.999, step) as f32, 1e-8, 0.1, 0.999, 0.001, 0.0])
    };
    let p = three_steps(Kernel::Nadam, &|_| 0, &nadam, 0.0);
    assert_close("nadam", &p, &[0.9944528265, -0.5017873962, 0.256055227, 1.99092687, -0.01270642382]);

    // RAdam: ρ_t ≤ 5 for t ≤ 5 with β2 = 0.999, so three steps are un-rectified.
    let radam = |step: usize| scalars(&[bc(0.9, step) as f32, 0.01, bc(0.999, step).sqrt() as f32, 1e-8, 0.1, 0.999, 0.001, 0.0]);
    let p = three_steps(Kernel::Radam, &|_| 0, &radam, 0.0);
    assert_close("radam", &p, &[0.9989052243, -0.4982357739, 0.2513478345, 1.994746941, -1.652165469e-08]);

    let p = three_steps(Kernel::Lion, &|_| 0, &|_| scalars(&[0.01, 0.9, 0.1, 0.99, 0.01, 1.0]), 0.0);
    assert_close("lion", &p, &[0.99, -0.51, 0.25, 1.99, -0.01]);
}

#[test]
fn sign_and_abs_lanes() {
    assert_eq!(Lane::sign(-3.0f32), -1.0);
    assert_eq!(Lane::sign(2.5f32), 1.0);
    assert_eq!(Lane::sign(-0.0f32).to_bits(), (-0.0f32).to_bits());
    assert!(Lane::sign(f32::NAN).is_nan());
    assert_eq!(Lane::abs(-2.0f32), 2.0);
}

#[test]
fn centered_rmsprop_never_takes_the_root_of_a_negative_variance() {
    // A constant gradient makes v - ga² cancel to (about) zero; rounding can make it negative.
    let mut value = vec![0.5f32; 64];
    let grad: Vec<f32> = (0..64).map(|i| 0.3 + i as f32 * 1e-3).collect();
    let mut state = [vec![0.0; 64], vec![0.0; 64], vec![0.0; 64]];
    for _ in 0..2000 {
        let [s0, s1, s2] = &mut state;
        let rule = RmspropRule::<{ flags::CENTERED }>::new(&scalars(&[1e-4, 0.0, 0.9, 0.1, 1e-8, 0.0]));
        apply_lanes::<f32, _>(&rule, TensorSlices { value: &mut value, grad: &grad, state: [s0, s1, s2] });
    }
    assert!(value.iter().all(|v| v.is_finite()));
}

#[test]
fn maximum_propagates_nan_and_orders_signed_zeros() {
    assert!(Lane::maximum(f32::NAN, 1.0f32).is_nan());
    assert!(Lane::maximum(1.0f32, f32::NAN).is_nan());
    assert_eq!(Lane::maximum(-0.0f32, 0.0).to_bits(), 0.0f32.to_bits());
    assert_eq!(Lane::maximum(0.0f32, -0.0).to_bits(), 0.0f32.to_bits());
    assert_eq!(Lane::maximum(2.0f32, 3.0), 3.0);
    assert_eq!(Lane::zero_if_negative(-1e-30f32), 0.0);
    assert!(Lane::zero_if_negative(f32::NAN).is_nan());
}

#[test]
fn step_rejects_unknown_kernels_and_mismatched_lengths() {
    let mut value = vec![0.0f32; 4];
    let grad = vec![0.0f32; 3];
    let (mut a, mut b, mut c) = (vec![0.0f32; 4], vec![], vec![]);
    let s = scalars(&[]);
    let t = TensorSlices { value: &mut value, grad: &grad, state: [&mut a, &mut b, &mut c] };
    assert_eq!(step_tensor(9, 0, &s, t), Err(StepError::UnknownKernel));
    let t = TensorSlices { value: &mut value, grad: &grad, state: [&mut a, &mut b, &mut c] };
    assert_eq!(step_tensor(Kernel::Adagrad as u32, 0, &s, t), Err(StepError::LengthMismatch));
    let grad = vec![0.0f32; 4];
    let t = TensorSlices { value: &mut value, grad: &grad, state: [&mut a, &mut b, &mut c] };
    assert_eq!(step_tensor(Kernel::Adam as u32, 0, &s, t), Err(StepError::LengthMismatch), "Adam needs two state buffers");
    assert_eq!(Kernel::Adam.used_state(flags::AMSGRAD), [true, true, true]);
    assert_eq!(Kernel::Sgd.used_state(0), [false, false, false]);
}

#[test]
fn bandwidth_probe_computes_a_plus_scalar_b_with_simd_body_and_tail() {
    for n in 0..=9 {
        let (a, b) = (values(1, n), values(2, n));
        let (mut scalar_path, mut vector_path) = (a.clone(), a.clone());
        gradstep_kernels::bandwidth_probe_lanes::<f32>(&mut scalar_path, &b, 3.0);
        gradstep_kernels::bandwidth_probe_lanes::<EmulatedF32x4>(&mut vector_path, &b, 3.0);
        assert!(same_bits(&scalar_path, &vector_path));
        assert!(scalar_path.iter().enumerate().all(|(i, &x)| x == a[i] + 3.0 * b[i]));
    }
    assert!(!gradstep_kernels::bandwidth_probe(&mut [0.0; 2], &[0.0; 3], 1.0));
}

#[test]
fn each_kernel_needs_exactly_the_state_buffers_pytorch_keeps() {
    // The slots (packages/gradstep/src/kernels.ts's usedState, which the package allocates): SGD's
    // momentum_buffer; Adagrad's sum and Lion's exp_avg; Adadelta's square_avg and acc_delta, the two
    // moments of Adamax, NAdam and RAdam; RMSprop's square_avg, grad_avg (centered) and momentum_buffer;
    // Adam's exp_avg, exp_avg_sq and max_exp_avg_sq (amsgrad).
    let expected = |kernel: Kernel, f: u32| -> [bool; 3] {
        let has = |bit: u32| f & bit != 0;
        match kernel {
            Kernel::Sgd => [has(flags::MOMENTUM), false, false],
            Kernel::Adagrad | Kernel::Lion => [true, false, false],
            Kernel::Adadelta | Kernel::Adamax | Kernel::Nadam | Kernel::Radam => [true, true, false],
            Kernel::Rmsprop => [true, has(flags::CENTERED), has(flags::MOMENTUM)],
            Kernel::Adam => [true, true, has(flags::AMSGRAD)],
        }
    };
    let s = scalars(&[0.1, 0.01, 0.9, 0.999, 1e-8]);
    for id in 0..9 {
        let kernel = Kernel::from_id(id).unwrap();
        for f in 0..(1u32 << 9) {
            let used = expected(kernel, f);
            assert_eq!(kernel.used_state(f), used, "kernel {id}, flags {f:#b}");
            // A step takes an empty buffer in a slot it does not use, and refuses one in a slot it uses.
            for k in 0..3 {
                let (mut value, grad) = ([1.0f32; 3], [0.5f32; 3]);
                let (mut a, mut b, mut c) = ([0.0f32; 3], [0.0f32; 3], [0.0f32; 3]);
                let mut state: [&mut [f32]; 3] = [&mut a, &mut b, &mut c];
                state[k] = Default::default();
                let result = step_tensor(id, f, &s, TensorSlices { value: &mut value, grad: &grad, state });
                let wanted = if used[k] { Err(StepError::LengthMismatch) } else { Ok(()) };
                assert_eq!(result, wanted, "kernel {id}, flags {f:#b}, empty slot {k}");
            }
        }
    }
}

#[test]
fn norm_ids_match_the_packages_norm_id() {
    // packages/gradstep/src/js-kernels/reductions.ts's NormId: 1 Σ|g|, 2 Σg², 0 max|g|.
    use gradstep_kernels::reductions::Norm;
    assert_eq!(Norm::from_id(1), Some(Norm::L1));
    assert_eq!(Norm::from_id(2), Some(Norm::L2));
    assert_eq!(Norm::from_id(0), Some(Norm::Inf));
    assert_eq!(Norm::from_id(3), None);
}

#[test]
fn gradient_norm_partials_follow_the_documented_order() {
    use gradstep_kernels::reductions::{clamp_in_place, norm_partial, scale_in_place, Norm};
    // Past 16 elements, so that an element sent to any lane but i mod 4 shows (or indexes out of bounds).
    for n in 0..=33 {
        let g = values(7, n);
        let mut lanes = [0.0f64; 4];
        let mut abs_lanes = [0.0f64; 4];
        for (i, &x) in g.iter().enumerate() {
            lanes[i % 4] += (x as f64) * (x as f64);
            abs_lanes[i % 4] += (x as f64).abs();
        }
        assert_eq!(norm_partial(&g, Norm::L2).to_bits(), ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])).to_bits());
        let l1 = (abs_lanes[0] + abs_lanes[1]) + (abs_lanes[2] + abs_lanes[3]);
        assert_eq!(norm_partial(&g, Norm::L1).to_bits(), l1.to_bits());
        let max = g.iter().fold(0.0f64, |m, &x| m.max((x as f64).abs()));
        assert_eq!(norm_partial(&g, Norm::Inf), max);
    }
    assert!(norm_partial(&[1.0, f32::NAN], Norm::Inf).is_nan());
    let mut g = [2.0f32, -3.0, f32::NAN, 0.5];
    clamp_in_place(&mut g, 1.0);
    assert_eq!(&g[..2], &[1.0, -1.0]);
    assert!(g[2].is_nan());
    assert_eq!(g[3], 0.5);
    scale_in_place(&mut g[..2], 0.5);
    assert_eq!(&g[..2], &[0.5, -0.5]);
}

#[test]
fn dense_layers_same_bits_on_every_lane_type_and_correct_values() {
    use gradstep_kernels::dense::{dense_backward, dense_forward, Activation, DenseShape};
    for rows in 0..=9 {
        for inputs in 1..=6 {
            for outputs in [1, 3, 4, 5, 9] {
                let shape = DenseShape { rows, inputs, outputs };
                // Inputs with zeros (whole zero columns in a block too) to exercise the skipping.
                let mut input = values(rows as u32 * 31 + inputs as u32, rows * inputs);
                for (k, x) in input.iter_mut().enumerate() {
                    if k % inputs == 1 || k % 5 == 0 {
                        *x = 0.0;
                    }
                }
                let (weights, bias) = (values(3, inputs * outputs), values(4, outputs));
                let d_output = values(5, rows * outputs);
                let run = |emulated: bool| {
                    let mut out = vec![0.0f32; rows * outputs];
                    let (mut gw, mut gb, mut di) = (vec![0.0f32; inputs * outputs], vec![0.0f32; outputs], vec![0.0f32; rows * inputs]);
                    if emulated {
                        dense_forward::<EmulatedF32x4>(shape, &input, &weights, &bias, &mut out, Activation::Identity);
                        dense_backward::<EmulatedF32x4>(
                            shape,
                            &input,
                            &weights,
                            &d_output,
                            &mut gw,
                            &mut gb,
                            Some(&mut di),
                            Activation::Identity,
                        );
                    } else {
                        dense_forward::<f32>(shape, &input, &weights, &bias, &mut out, Activation::Identity);
                        dense_backward::<f32>(shape, &input, &weights, &d_output, &mut gw, &mut gb, Some(&mut di), Activation::Identity);
                    }
                    (out, gw, gb, di)
                };
                let (a, b) = (run(false), run(true));
                assert!(same_bits(&a.0, &b.0) && same_bits(&a.1, &b.1) && same_bits(&a.2, &b.2) && same_bits(&a.3, &b.3), "{shape:?}");
                for i in 0..rows {
                    for j in 0..outputs {
                        let exact: f64 = bias[j] as f64
                            + (0..inputs).map(|p| input[i * inputs + p] as f64 * weights[p * outputs + j] as f64).sum::<f64>();
                        assert!((a.0[i * outputs + j] as f64 - exact).abs() <= 1e-5 * (exact.abs() + 1.0));
                    }
                    for p in 0..inputs {
                        let exact: f64 = (0..outputs).map(|j| d_output[i * outputs + j] as f64 * weights[p * outputs + j] as f64).sum();
                        assert!((a.3[i * inputs + p] as f64 - exact).abs() <= 1e-5 * (exact.abs() + 1.0));
                    }
                }
                for p in 0..inputs {
                    for j in 0..outputs {
                        let exact: f64 = (0..rows).map(|i| input[i * inputs + p] as f64 * d_output[i * outputs + j] as f64).sum();
                        assert!((a.1[p * outputs + j] as f64 - exact).abs() <= 1e-5 * (exact.abs() + 1.0));
                    }
                }
            }
        }
    }
}

/// The dense layers' documented operation order, written as plainly as possible (the order of
/// `packages/gradstep/src/js-kernels/dense.ts`): the blocked kernels must give these bits.
mod dense_reference {
    pub fn forward(rows: usize, n_in: usize, n_out: usize, input: &[f32], weights: &[f32], bias: &[f32]) -> Vec<f32> {
        let mut out = vec![0.0f32; rows * n_out];
        let blocked = rows - rows % 4;
        for i in 0..rows {
            for j in 0..n_out {
                let mut acc = bias[j];
                for p in 0..n_in {
                    let skip = if i < blocked {
                        let b = i - i % 4;
                        (0..4).all(|r| input[(b + r) * n_in + p] == 0.0)
                    } else {
                        input[i * n_in + p] == 0.0
                    };
                    if !skip {
                        acc += input[i * n_in + p] * weights[p * n_out + j];
                    }
                }
                out[i * n_out + j] = acc;
            }
        }
        out
    }

    pub fn backward(rows: usize, n_in: usize, n_out: usize, input: &[f32], weights: &[f32], d: &[f32]) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
        let (mut gw, mut gb, mut di) = (vec![0.0f32; n_in * n_out], vec![0.0f32; n_out], vec![0.0f32; rows * n_in]);
        let blocked = rows - rows % 4;
        for j in 0..n_out {
            let mut acc = 0.0f32;
            for b in (0..blocked).step_by(4) {
                acc += ((d[b * n_out + j] + d[(b + 1) * n_out + j]) + d[(b + 2) * n_out + j]) + d[(b + 3) * n_out + j];
            }
            for i in blocked..rows {
                acc += d[i * n_out + j];
            }
            gb[j] = acc;
            for p in 0..n_in {
                let x = |i: usize| input[i * n_in + p];
                let mut acc = 0.0f32;
                for b in (0..blocked).step_by(4) {
                    if (0..4).all(|r| x(b + r) == 0.0) {
                        continue;
                    }
                    let t = |r: usize| x(b + r) * d[(b + r) * n_out + j];
                    acc += ((t(0) + t(1)) + t(2)) + t(3);
                }
                for i in blocked..rows {
                    if x(i) != 0.0 {
                        acc += x(i) * d[i * n_out + j];
                    }
                }
                gw[p * n_out + j] = acc;
            }
        }
        for i in 0..rows {
            for p in 0..n_in {
                let mut acc = 0.0f32;
                for j in 0..n_out {
                    acc += d[i * n_out + j] * weights[p * n_out + j];
                }
                di[i * n_in + p] = acc;
            }
        }
        (gw, gb, di)
    }
}

#[test]
fn blocked_dense_kernels_follow_the_documented_order_at_every_tail_of_the_blocking() {
    use gradstep_kernels::dense::DenseShape;
    // The blocking: 4-row groups and 64-row chunks, 4- and 8-column tiles and a zero-padded lane for
    // the last columns, 128-long chunks of the reduction and of transposed columns, 64-feature and
    // 32-block chunks of the weight gradient.
    let rows_list = [1, 2, 3, 4, 5, 7, 8, 9, 63, 64, 65, 67, 129, 131];
    let widths = [1, 2, 3, 4, 5, 7, 8, 9, 12, 13, 17, 63, 64, 65, 127, 128, 129, 257];
    let mut case = 0u32;
    for &rows in &rows_list {
        for &inputs in &widths {
            for &outputs in &widths {
                // Keep the test quick: every shape for small sizes, a sample for large ones.
                case += 1;
                if rows * inputs * outputs > 200_000 && !case.is_multiple_of(7) {
                    continue;
                }
                let shape = DenseShape { rows, inputs, outputs };
                let mut input = values(case * 3 + 1, rows * inputs);
                for (k, x) in input.iter_mut().enumerate() {
                    // Whole zero columns (every 3rd feature), scattered zeros, and a -0.
                    if (k % inputs) % 3 == 1 || k % 7 == 0 {
                        *x = 0.0;
                    }
                    if k % 29 == 5 {
                        *x = -0.0;
                    }
                }
                let (weights, bias, d_output) =
                    (values(case * 3 + 2, inputs * outputs), values(case * 3 + 3, outputs), values(case, rows * outputs));
                assert_dense_follows_the_documented_order(shape, &input, &weights, &bias, &d_output);
            }
        }
    }
}

/// The blocked kernels (emulated f32x4 lanes; f32 lanes for the forward pass) against
/// [`dense_reference`], bit for bit, every output overwritten (the buffers start at 7).
fn assert_dense_follows_the_documented_order(
    shape: gradstep_kernels::dense::DenseShape,
    input: &[f32],
    weights: &[f32],
    bias: &[f32],
    d_output: &[f32],
) {
    use gradstep_kernels::dense::{dense_backward, dense_forward, Activation, DenseShape};
    let DenseShape { rows, inputs, outputs } = shape;
    let expected_out = dense_reference::forward(rows, inputs, outputs, input, weights, bias);
    let (egw, egb, edi) = dense_reference::backward(rows, inputs, outputs, input, weights, d_output);
    let mut out = vec![7.0f32; rows * outputs];
    let (mut gw, mut gb, mut di) = (vec![7.0f32; inputs * outputs], vec![7.0f32; outputs], vec![7.0f32; rows * inputs]);
    dense_forward::<EmulatedF32x4>(shape, input, weights, bias, &mut out, Activation::Identity);
    dense_backward::<EmulatedF32x4>(shape, input, weights, d_output, &mut gw, &mut gb, Some(&mut di), Activation::Identity);
    assert!(same_bits(&out, &expected_out), "forward {shape:?}");
    assert!(same_bits(&gw, &egw), "grad_weights {shape:?}");
    assert!(same_bits(&gb, &egb), "grad_bias {shape:?}");
    assert!(same_bits(&di, &edi), "d_input {shape:?}");
    let mut out1 = vec![7.0f32; rows * outputs];
    dense_forward::<f32>(shape, input, weights, bias, &mut out1, Activation::Identity);
    assert!(same_bits(&out1, &expected_out), "forward, f32 lanes {shape:?}");
    // ReLU fused: the stored output clamped, d_input kept where the input (a ReLU's
    // output) is > 0 and +0 elsewhere (−0 and 0 inputs included).
    let relu: Vec<f32> = expected_out.iter().map(|&x| if x < 0.0 { 0.0 } else { x }).collect();
    let masked: Vec<f32> = edi.iter().zip(input).map(|(&d, &x)| if x > 0.0 { d } else { 0.0 }).collect();
    for emulated in [true, false] {
        let mut out = vec![7.0f32; rows * outputs];
        let (mut gw2, mut gb2, mut di) = (vec![7.0f32; inputs * outputs], vec![7.0f32; outputs], vec![7.0f32; rows * inputs]);
        if emulated {
            dense_forward::<EmulatedF32x4>(shape, input, weights, bias, &mut out, Activation::Relu);
            dense_backward::<EmulatedF32x4>(shape, input, weights, d_output, &mut gw2, &mut gb2, Some(&mut di), Activation::Relu);
        } else {
            dense_forward::<f32>(shape, input, weights, bias, &mut out, Activation::Relu);
            dense_backward::<f32>(shape, input, weights, d_output, &mut gw2, &mut gb2, Some(&mut di), Activation::Relu);
        }
        assert!(same_bits(&out, &relu), "relu forward {shape:?}, emulated {emulated}");
        assert!(same_bits(&di, &masked), "relu d_input {shape:?}, emulated {emulated}");
        assert!(same_bits(&gw2, &egw) && same_bits(&gb2, &egb), "relu weight gradients {shape:?}");
    }
}

#[test]
fn dense_weight_gradient_follows_the_documented_order_past_one_chunk_of_row_blocks() {
    use gradstep_kernels::dense::DenseShape;
    // The weight gradient packs 32 blocks of four rows at a time: 132 rows and more need a second
    // chunk (and 260 a third), with the remaining rows after it; the other tests stop at 131 rows.
    let mut case = 0u32;
    for rows in [132, 133, 135, 260] {
        for inputs in [1, 5, 64, 65] {
            for outputs in [1, 4, 9] {
                case += 1;
                let shape = DenseShape { rows, inputs, outputs };
                let mut input = values(case * 3 + 500, rows * inputs);
                for (k, x) in input.iter_mut().enumerate() {
                    if (k % inputs) % 3 == 1 || k % 7 == 0 {
                        *x = 0.0;
                    }
                }
                let (weights, bias, d_output) =
                    (values(case * 3 + 501, inputs * outputs), values(case * 3 + 502, outputs), values(case + 600, rows * outputs));
                assert_dense_follows_the_documented_order(shape, &input, &weights, &bias, &d_output);
            }
        }
    }
}

#[test]
fn dense_kernels_give_the_documented_results_when_a_dimension_is_zero() {
    use gradstep_kernels::dense::DenseShape;
    // No inputs: every output row is the bias; no outputs: d_input is +0; no rows: bias and weight
    // gradients are +0 (the wasm exports accept these shapes).
    for rows in [0, 1, 3, 4, 5, 9] {
        for inputs in [0, 1, 5] {
            for outputs in [0, 1, 5] {
                let shape = DenseShape { rows, inputs, outputs };
                let (input, weights) = (values(71, rows * inputs), values(72, inputs * outputs));
                let (bias, d_output) = (values(73, outputs), values(74, rows * outputs));
                assert_dense_follows_the_documented_order(shape, &input, &weights, &bias, &d_output);
            }
        }
    }
}

#[test]
fn dense_kernels_follow_the_documented_order_with_signed_zeros_and_non_finite_values() {
    use gradstep_kernels::dense::DenseShape;
    // Which zero terms are skipped is part of the documented order, and shows only in signed zeros
    // (a −0 bias plus a skipped +0 term stays −0, an added one makes +0) and in 0·∞ = NaN: d_input
    // skips nothing, forward and grad_weights skip an input column only when all four rows of a block
    // are zero, a single remaining row skips each of its zeros.
    let rows_list = [1, 3, 4, 5, 8, 9, 63, 64, 65, 67, 129];
    let widths = [1, 3, 4, 5, 8, 9, 13, 17, 64, 65, 129, 257];
    let mut case = 0u32;
    for &rows in &rows_list {
        for &inputs in &widths {
            for &outputs in &widths {
                case += 1;
                if rows * inputs * outputs > 100_000 && !case.is_multiple_of(5) {
                    continue;
                }
                let shape = DenseShape { rows, inputs, outputs };
                // Zero columns over whole blocks (every 4th feature), zeros in single rows, −0s.
                let mut input = values(case * 5 + 1, rows * inputs);
                for (k, x) in input.iter_mut().enumerate() {
                    let (i, p) = (k / inputs, k % inputs);
                    if p % 4 == 2 || (i + p) % 3 == 0 {
                        *x = if k % 2 == 0 { 0.0 } else { -0.0 };
                    }
                }
                // ±∞ and NaN weights in the columns that meet zeros.
                let mut weights = values(case * 5 + 2, inputs * outputs);
                for (k, w) in weights.iter_mut().enumerate() {
                    match k % 7 {
                        0 => *w = f32::INFINITY,
                        3 => *w = f32::NEG_INFINITY,
                        5 if k % 3 == 0 => *w = f32::NAN,
                        _ => {}
                    }
                }
                // −0 biases (the whole row: every output starts at −0 and keeps it until a term lands).
                let bias: Vec<f32> =
                    values(case * 5 + 3, outputs).iter().enumerate().map(|(j, &b)| if j % 2 == 0 { -0.0 } else { b }).collect();
                // d_output: zero columns over whole blocks of rows (every 3rd output), scattered zeros and −0s.
                let mut d_output = values(case * 5 + 4, rows * outputs);
                for (k, d) in d_output.iter_mut().enumerate() {
                    let (i, j) = (k / outputs, k % outputs);
                    if j % 3 == 1 || (i * 7 + j) % 5 == 0 {
                        *d = if k % 2 == 0 { -0.0 } else { 0.0 };
                    }
                }
                assert_dense_follows_the_documented_order(shape, &input, &weights, &bias, &d_output);
            }
        }
    }
}

#[test]
fn flop_probe_runs_the_same_chains_on_every_lane_type() {
    let scalar = gradstep_kernels::flop_probe_lanes::<f32>(1000, 0.25);
    let vector = gradstep_kernels::flop_probe_lanes::<EmulatedF32x4>(1000, 0.25);
    // Each chain converges to 2x = 0.5; four lanes per chain in the vector form.
    assert!((scalar - 6.0).abs() < 1e-4, "{scalar}");
    assert!((vector - 24.0).abs() < 1e-4, "{vector}");
    assert_eq!(gradstep_kernels::flop_probe(0, 1.0), (0..12).map(|i| i as f32).sum::<f32>());
}

/// One step of `kernel` from `value` and `state0` (the first state buffer), returning the new value and state.
fn one_step(kernel: Kernel, flags: u32, s: &[f32; SCALARS], value: &[f32], grad: &[f32], state0: &[f32]) -> (Vec<f32>, Vec<f32>) {
    let mut value = value.to_vec();
    let n = value.len();
    let (mut s0, mut s1, mut s2) = (state0.to_vec(), vec![0.25; n], vec![0.0; n]);
    step_tensor(kernel as u32, flags, s, TensorSlices { value: &mut value, grad, state: [&mut s0, &mut s1, &mut s2] }).unwrap();
    (value, s0)
}

#[test]
fn maximize_is_the_step_of_the_negated_gradient_and_decoupled_decay_scales_first() {
    // 21 values: the simd body and the scalar tail.
    let (p, g, m) = (values(31, 21), values(32, 21), values(33, 21));
    let minus_g: Vec<f32> = g.iter().map(|x| -x).collect();
    let cases = [
        (Kernel::Adam, scalars(&[0.01, 1.0, 0.1, 0.999, 0.001, 1e-8, 0.0, 0.999])),
        (Kernel::Adamax, scalars(&[0.01, 0.1, 0.999, 1e-3, 0.0])),
        (Kernel::Lion, scalars(&[0.01, 0.9, 0.1, 0.99, 0.01, 0.999])),
    ];
    for (kernel, s) in cases {
        let (maximized, _) = one_step(kernel, flags::MAXIMIZE, &s, &p, &g, &m);
        let (negated, _) = one_step(kernel, 0, &s, &p, &minus_g, &m);
        assert!(same_bits(&maximized, &negated), "{kernel:?}: maximize differs from the step of -g");
    }
    // Decoupled decay multiplies p by the factor before the update: the step of the scaled p.
    for (kernel, s, factor) in [(Kernel::Adam, cases[0].1, 0.999f32), (Kernel::Lion, cases[2].1, 0.999f32)] {
        let (decayed, _) = one_step(kernel, flags::DECOUPLED_WEIGHT_DECAY, &s, &p, &g, &m);
        let scaled: Vec<f32> = p.iter().map(|x| x * factor).collect();
        let (by_hand, _) = one_step(kernel, 0, &s, &scaled, &g, &m);
        assert!(same_bits(&decayed, &by_hand), "{kernel:?}: decoupled decay is not p·factor before the update");
        assert!(!same_bits(&decayed, &one_step(kernel, 0, &s, &p, &g, &m).0), "{kernel:?}: the decay changed nothing");
    }
}

#[test]
fn lion_follows_its_definition_from_a_nonzero_moment() {
    // c = β1·m + (1−β1)·g; p ← p − lr·sign(c); m ← β2·m + (1−β2)·g (Chen et al. 2023, torch's Lion).
    let (p, g, m) = (values(41, 19), values(42, 19), values(43, 19));
    let (lr, beta1, beta2) = (0.01f32, 0.9f32, 0.99f32);
    let s = scalars(&[lr, beta1, 1.0 - beta1, beta2, 1.0 - beta2, 1.0]);
    // And gradients g = −k·m with k around β1/(1−β1) = 9, where the two terms of c nearly cancel, so
    // that the sign depends on each factor (c = m·(β1 − (1−β1)·k): negative for k = 10, positive for 8).
    let ks = [8.0f32, 8.5, 9.5, 10.0, 11.0];
    let near_cancelling: Vec<f32> = m.iter().enumerate().map(|(i, &x)| -ks[i % ks.len()] * x).collect();
    for g in [&g, &near_cancelling] {
        lion_step_follows_its_definition(&s, &p, g, &m, lr, beta1, beta2);
    }
}

fn lion_step_follows_its_definition(s: &[f32; SCALARS], p: &[f32], g: &[f32], m: &[f32], lr: f32, beta1: f32, beta2: f32) {
    let (value, moment) = one_step(Kernel::Lion, 0, s, p, g, m);
    for i in 0..p.len() {
        let c = m[i] * beta1 + (1.0 - beta1) * g[i];
        let sign = if c > 0.0 {
            1.0
        } else if c < 0.0 {
            -1.0
        } else {
            0.0
        };
        assert_eq!(value[i].to_bits(), (p[i] - lr * sign).to_bits(), "value[{i}]");
        assert_eq!(moment[i].to_bits(), (m[i] * beta2 + (1.0 - beta2) * g[i]).to_bits(), "moment[{i}]");
    }
}

/// e^x in float64 (std's, well within a float32 ulp) against which the softmax's exp is measured, in
/// ulps of the float32 result (2^−149 for subnormal results).
fn exp_error_in_ulps(x: f32, got: f32) -> f64 {
    let exact = (x as f64).exp();
    let ulp = if exact >= f32::MIN_POSITIVE as f64 { 2f64.powi(exact.log2().floor() as i32 - 23) } else { 2f64.powi(-149) };
    (got as f64 - exact).abs() / ulp
}

#[test]
fn softmax_exp_is_within_one_ulp_of_exp_over_minus_90_to_0_and_underflows_to_zero() {
    use gradstep_kernels::softmax::exp_nonpositive;
    // A dense sweep of [−90, 0] (subnormal results below about −87.3), every lane type.
    let xs: Vec<f32> = (0..=900_000).map(|i| -(i as f32) * 1e-4).collect();
    let mut worst = (0.0f64, 0.0f32);
    let mut lanes = vec![0.0f32; xs.len()];
    gradstep_kernels::exp_nonpositive_lanes::<EmulatedF32x4>(&mut lanes, &xs);
    for (k, &x) in xs.iter().enumerate() {
        let got = exp_nonpositive(x);
        assert_eq!(got.to_bits(), lanes[k].to_bits(), "lanes differ at {x}");
        let error = exp_error_in_ulps(x, got);
        if error > worst.0 {
            worst = (error, x);
        }
    }
    // Measured: 0.98 ulp at most (Cephes' polynomial, float32 steps, no FMA).
    assert!(worst.0 <= 1.0, "{} ulps at {}", worst.0, worst.1);
    assert_eq!(exp_nonpositive(0.0f32), 1.0);
    assert_eq!(exp_nonpositive(-0.0f32), 1.0);
    assert_eq!(exp_nonpositive(-103.9f32).to_bits(), 1, "the smallest subnormal");
    for x in [-104.0f32, -110.0, -1e30, f32::MIN, f32::NEG_INFINITY] {
        assert_eq!(exp_nonpositive(x).to_bits(), 0, "{x} underflows to +0");
    }
    assert!(exp_nonpositive(f32::NAN).is_nan());
}

/// Softmax cross-entropy's documented order, as plainly as possible (js-kernels/softmax.ts's order).
fn softmax_reference(rows: usize, k: usize, z: &[f32], targets: &[f32], scale: f32) -> (Vec<f32>, Vec<f32>) {
    use gradstep_kernels::softmax::exp_nonpositive;
    let (mut d, mut stats) = (vec![0.0f32; rows * k], vec![0.0f32; rows * 3]);
    for i in 0..rows {
        let row = &z[i * k..(i + 1) * k];
        let (mut max, mut best) = (row[0], 0);
        for (c, &x) in row.iter().enumerate().skip(1) {
            if x > max {
                (max, best) = (x, c);
            }
        }
        let mut sum = 0.0f32;
        for &x in row {
            sum += exp_nonpositive(x - max);
        }
        for c in 0..k {
            let one_hot = if c as f32 == targets[i] { 1.0 } else { 0.0 };
            d[i * k + c] = (exp_nonpositive(row[c] - max) / sum - one_hot) * scale;
        }
        stats[i * 3..i * 3 + 3].copy_from_slice(&[max, sum, best as f32]);
    }
    (d, stats)
}

#[test]
fn softmax_cross_entropy_follows_the_documented_order_on_every_lane_type() {
    use gradstep_kernels::softmax::softmax_cross_entropy;
    for rows in 0..=9 {
        for k in 1..=12 {
            let mut z: Vec<f32> = values(rows as u32 * 13 + k as u32, rows * k).iter().map(|v| v * 8.0).collect();
            for (i, row) in z.chunks_exact_mut(k).enumerate() {
                match i % 4 {
                    // The maximum repeated (the first one is the predicted class).
                    1 if k > 2 => (row[k - 1], row[1]) = (9.0, 9.0),
                    // Huge and tiny logits: the others underflow to 0 after the maximum is subtracted.
                    2 => (row[0], row[k - 1]) = (3e30, -3e38),
                    3 => row[k / 2] = -1e30,
                    _ => {}
                }
            }
            let targets: Vec<f32> = (0..rows).map(|i| ((i * 7) % k) as f32).collect();
            let scale = 1.0 / rows.max(1) as f32;
            let (ed, es) = softmax_reference(rows, k, &z, &targets, scale);
            for emulated in [true, false] {
                let (mut d, mut stats) = (vec![7.0f32; rows * k], vec![7.0f32; rows * 3]);
                let mut stats_only = vec![7.0f32; rows * 3];
                if emulated {
                    softmax_cross_entropy::<EmulatedF32x4>(rows, k, &z, &targets, scale, Some(&mut d), &mut stats);
                    softmax_cross_entropy::<EmulatedF32x4>(rows, k, &z, &targets, scale, None, &mut stats_only);
                } else {
                    softmax_cross_entropy::<f32>(rows, k, &z, &targets, scale, Some(&mut d), &mut stats);
                    softmax_cross_entropy::<f32>(rows, k, &z, &targets, scale, None, &mut stats_only);
                }
                assert!(same_bits(&d, &ed) && same_bits(&stats, &es) && same_bits(&stats_only, &es), "{rows}×{k}, emulated {emulated}");
            }
            // The values: the softmax minus the one-hot target, over rows, against float64.
            for i in 0..rows {
                let row: Vec<f64> = z[i * k..(i + 1) * k].iter().map(|&x| x as f64).collect();
                let max = row.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                let total: f64 = row.iter().map(|x| (x - max).exp()).sum();
                assert_eq!(es[i * 3] as f64, max);
                assert!(((es[i * 3 + 1] as f64) - total).abs() <= 1e-6 * total);
                for c in 0..k {
                    let p = (row[c] - max).exp() / total;
                    let exact = (p - if c as f32 == targets[i] { 1.0 } else { 0.0 }) * scale as f64;
                    assert!((ed[i * k + c] as f64 - exact).abs() <= 1e-6 * scale as f64, "{rows}×{k} row {i} class {c}");
                }
            }
        }
    }
    // The first of equal maxima is the predicted class.
    let mut stats = [0.0f32; 3];
    softmax_cross_entropy::<f32>(1, 4, &[1.0, 5.0, 5.0, 2.0], &[0.0], 1.0, None, &mut stats);
    assert_eq!(stats, [5.0, stats[1], 1.0]);
}

/// One step of `kernel` from `value` and the first two state buffers, returning the new value and both.
fn one_step_two_states(
    kernel: Kernel,
    flags: u32,
    s: &[f32; SCALARS],
    value: &[f32],
    grad: &[f32],
    state: [&[f32]; 2],
) -> (Vec<f32>, [Vec<f32>; 2]) {
    let mut value = value.to_vec();
    let (mut s0, mut s1, mut s2) = (state[0].to_vec(), state[1].to_vec(), vec![0.0; value.len()]);
    step_tensor(kernel as u32, flags, s, TensorSlices { value: &mut value, grad, state: [&mut s0, &mut s1, &mut s2] }).unwrap();
    (value, [s0, s1])
}

#[test]
fn adamax_follows_its_definition_from_a_nonzero_state() {
    // torch.optim.Adamax: g = grad + wd·p (L2); m = m + (1−β1)(g − m); u = max(β2·u, |g| + eps);
    // p = p − (clr·m)/u, in float32 in this order (the kernel's documented order): the same bits.
    let n = 23;
    let (p, g, m) = (values(51, n), values(52, n), values(53, n));
    let u: Vec<f32> = values(54, n).iter().map(|x| x.abs() * 4.0).collect();
    let (clr, one_minus_beta1, beta2, eps, wd) = (0.02f32, 0.1f32, 0.95f32, 1e-3f32, 0.05f32);
    let s = scalars(&[clr, one_minus_beta1, beta2, eps, wd]);
    let (mut decayed_wins, mut gradient_wins) = (0, 0);
    for (flags, wd) in [(0, 0.0f32), (flags::L2_WEIGHT_DECAY, wd)] {
        let (value, [exp_avg, exp_inf]) = one_step_two_states(Kernel::Adamax, flags, &s, &p, &g, [&m, &u]);
        for i in 0..n {
            let gi = g[i] + wd * p[i];
            let mi = m[i] + one_minus_beta1 * (gi - m[i]);
            let (decayed, from_gradient) = (u[i] * beta2, gi.abs() + eps);
            if decayed > from_gradient {
                decayed_wins += 1;
            } else {
                gradient_wins += 1;
            }
            let ui = decayed.max(from_gradient);
            assert_eq!(exp_avg[i].to_bits(), mi.to_bits(), "flags {flags:#x}: exp_avg[{i}]");
            assert_eq!(exp_inf[i].to_bits(), ui.to_bits(), "flags {flags:#x}: exp_inf[{i}]");
            assert_eq!(value[i].to_bits(), (p[i] - (clr * mi) / ui).to_bits(), "flags {flags:#x}: value[{i}]");
        }
    }
    // Both sides of the maximum are taken.
    assert!(decayed_wins > 4 && gradient_wins > 4, "{decayed_wins} {gradient_wins}");
}

#[test]
fn rectified_radam_follows_its_definition_from_a_nonzero_state() {
    // torch.optim.RAdam once ρ_t > 5: m = m + (1−β1)(g − m); v = β2·v + ((1−β2)·g)·g;
    // p = p − ((m/(1−β1^t))·(lr·r_t))·(sqrt(1−β2^t)/(sqrt(v) + eps)), in float32 in the kernel's
    // documented order: the same bits; unrectified, p = p − (m/(1−β1^t))·lr.
    let n = 23;
    let (p, g, m) = (values(61, n), values(62, n), values(63, n));
    let v: Vec<f32> = values(64, n).iter().map(|x| x * x).collect();
    let (bc1, step_lr, bc2_sqrt, eps, one_minus_beta1, beta2, one_minus_beta2) =
        (0.3f32, 0.004f32, 0.2f32, 1e-3f32, 0.1f32, 0.99f32, 0.01f32);
    let s = scalars(&[bc1, step_lr, bc2_sqrt, eps, one_minus_beta1, beta2, one_minus_beta2, 0.0]);
    for flags in [flags::RECTIFY, 0] {
        let (value, [exp_avg, exp_avg_sq]) = one_step_two_states(Kernel::Radam, flags, &s, &p, &g, [&m, &v]);
        for i in 0..n {
            let mi = m[i] + one_minus_beta1 * (g[i] - m[i]);
            let vi = v[i] * beta2 + (one_minus_beta2 * g[i]) * g[i];
            let corrected = mi / bc1;
            let expected = if flags == flags::RECTIFY {
                p[i] - (corrected * step_lr) * (bc2_sqrt / (vi.sqrt() + eps))
            } else {
                p[i] - corrected * step_lr
            };
            assert_eq!(exp_avg[i].to_bits(), mi.to_bits(), "flags {flags:#x}: exp_avg[{i}]");
            assert_eq!(exp_avg_sq[i].to_bits(), vi.to_bits(), "flags {flags:#x}: exp_avg_sq[{i}]");
            assert_eq!(value[i].to_bits(), expected.to_bits(), "flags {flags:#x}: value[{i}]");
        }
    }
}

// The numbers are copied as the fixture prints them (%.9g for float32, which reads back exactly).
#[allow(clippy::excessive_precision)]
#[test]
fn radam_matches_torch_past_the_fifth_step_where_it_rectifies() {
    // test/fixtures/torch-optim-more.json, case RAdam {} (torch.optim.RAdam 2.13 defaults, float64,
    // foreach=False), its 5-element tensor: init, the 12 gradients, p after steps 5 and 12. ρ_t > 5
    // from step 6 on, so steps 6–12 take the rectified update.
    let init = [-0.498745322f32, 1.68820643, -1.08387804, 0.256152958, -1.17802465];
    let grads: [[f32; 5]; 12] = [
        [0.892329097, -3.26121092, 0.0686711222, -0.00498448685, 0.131284893],
        [-0.0001056076, -6.05852413, -0.000590736629, 0.914709866, -0.00610921532],
        [-0.00124319957, -2.37457657, -0.638064146, 0.00756331254, 0.348842323],
        [0.00255176006, 0.102678798, -0.242742151, 0.00111088727, -0.784692705],
        [-0.0432905667, -2.21738315, 4.55448294, -0.000630279887, -15.3998852],
        [-17.4363289, 0.049143672, 0.32430324, 7.86928415, -0.00421322696],
        [-0.00619261153, -0.000899304752, -0.00050460262, 0.0798979476, -4.21765757],
        [-0.000113132563, -0.278380692, -0.226047695, 0.0150353713, 26.9971828],
        [-0.0376497656, -0.000143297802, 0.00584997656, 0.0010788826, -0.00134315039],
        [-0.0654751435, -18.5602341, -2.0992353, -4.84430647, -2.35158014],
        [-0.00172318425, -0.00672046188, 0.0002160718, 0.00171916583, -0.000386442727],
        [0.00731868437, -0.00670271087, -0.039640557, -0.00133844314, 0.00477013085],
    ];
    let after_5 = [-0.500648733027, 1.70536365281, -1.08448417851, 0.254993484962, -1.17442627855];
    let after_12 = [-0.500545935408, 1.70552645603, -1.08453423447, 0.254923130231, -1.17442650565];
    // The scalars as packages/gradstep/src/optimizers/radam.ts computes them (float64, then float32).
    let (lr, beta1, beta2, eps) = (1e-3f64, 0.9f64, 0.999f64, 1e-8f64);
    let rho_inf = 2.0 / (1.0 - beta2) - 1.0;
    let mut value = init.to_vec();
    let (mut s0, mut s1, mut s2) = (vec![0.0f32; 5], vec![0.0f32; 5], vec![0.0f32; 5]);
    let mut rectified_steps = 0;
    for (step, grad) in grads.iter().enumerate() {
        let t = step as f64 + 1.0;
        let bc2 = 1.0 - beta2.powf(t);
        let rho_t = rho_inf - 2.0 * t * beta2.powf(t) / bc2;
        let rectify = rho_t > 5.0;
        let r = if rectify { ((rho_t - 4.0) * (rho_t - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t)).sqrt() } else { 1.0 };
        rectified_steps += rectify as usize;
        let s = scalars(&[(1.0 - beta1.powf(t)) as f32, (lr * r) as f32, bc2.sqrt() as f32, eps as f32, 0.1, 0.999, 0.001, 0.0]);
        let flags = if rectify { flags::RECTIFY } else { 0 };
        step_tensor(Kernel::Radam as u32, flags, &s, TensorSlices { value: &mut value, grad, state: [&mut s0, &mut s1, &mut s2] }).unwrap();
        // Each step rounds p to float32 (half an ulp, ≤ 6e-8·|p|) and the update carries a few float32
        // roundings of a step of at most ~1e-2·lr-sized terms; after 12 steps the float32 run stays
        // within 12 half-ulps of torch's float64 values: 1e-6·|p| bounds that (the rectified steps
        // here move p by 1e-6..2e-5, so a wrong rectified update shows).
        let expected: Option<&[f64; 5]> = match step + 1 {
            5 => Some(&after_5),
            12 => Some(&after_12),
            _ => None,
        };
        if let Some(expected) = expected {
            for i in 0..5 {
                let tolerance = 1e-6 * expected[i].abs();
                assert!(
                    (value[i] as f64 - expected[i]).abs() <= tolerance,
                    "step {}: p[{i}] = {}, torch {}",
                    step + 1,
                    value[i],
                    expected[i]
                );
            }
        }
    }
    assert_eq!(rectified_steps, 7, "steps 6 to 12 rectify");
}
