//! The kernel ABI in one place: kernel ids, option flags and each kernel's scalar layout, by name.
//!
//! The rules read their scalars through the index enums below; the TypeScript package
//! (`packages/gradstep/src/kernels.ts`) writes and reads them through a copy of the same names. The
//! wasm module exports [`description`] and `usedStateMask`, and the package checks its copy against
//! them when it loads the module and, over every kernel × flag combination, in its tests: a change on
//! one side only fails at once.

use crate::dense::Activation;
use crate::{flags, softmax, Kernel, SCALARS};

/// Declares a scalar layout: an enum whose discriminants are the positions in a group's scalars, and
/// the names in that order (what [`description`] exports).
macro_rules! scalar_layout {
    ($(#[$doc:meta])* $name:ident { $($slot:ident),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(usize)]
        pub enum $name {
            $($slot),+
        }

        impl $name {
            /// The slot names, in scalar order.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($slot)),+];

            /// This slot's scalar in `scalars`.
            #[inline(always)]
            pub fn of(self, scalars: &[f32; SCALARS]) -> f32 {
                scalars[self as usize]
            }
        }
    };
}

scalar_layout!(
    /// `torch.optim.SGD`.
    SgdScalar { Lr, WeightDecay, Momentum, OneMinusDampening }
);
scalar_layout!(
    /// `torch.optim.Adagrad`: `ClippedLr` is lr / (1 + (t−1)·lr_decay).
    AdagradScalar { ClippedLr, WeightDecay, Eps }
);
scalar_layout!(
    /// `torch.optim.Adadelta`.
    AdadeltaScalar { Lr, WeightDecay, Rho, OneMinusRho, Eps }
);
scalar_layout!(
    /// `torch.optim.RMSprop`.
    RmspropScalar { Lr, WeightDecay, Alpha, OneMinusAlpha, Eps, Momentum }
);
scalar_layout!(
    /// `torch.optim.Adam`/`AdamW` (and Keras' ε̂ form): `StepSize` is lr/(1−β1^t).
    AdamScalar { StepSize, InverseBiasCorrection2Sqrt, OneMinusBeta1, Beta2, OneMinusBeta2, Eps, WeightDecay, DecoupledDecayFactor }
);
scalar_layout!(
    /// `torch.optim.Adamax`: `ClippedLr` is lr/(1−β1^t).
    AdamaxScalar { ClippedLr, OneMinusBeta1, Beta2, Eps, WeightDecay }
);
scalar_layout!(
    /// `torch.optim.NAdam`: the two coefficients of the gradient and of the momentum term.
    NadamScalar { GradCoefficient, MomentumCoefficient, BiasCorrection2, Eps, OneMinusBeta1, Beta2, OneMinusBeta2, WeightDecayOrFactor }
);
scalar_layout!(
    /// `torch.optim.RAdam`: `StepLr` is lr, times r_t when rectified.
    RadamScalar { BiasCorrection1, StepLr, BiasCorrection2Sqrt, Eps, OneMinusBeta1, Beta2, OneMinusBeta2, WeightDecayOrFactor }
);
scalar_layout!(
    /// Lion (the paper's reference implementation).
    LionScalar { Lr, Beta1, OneMinusBeta1, Beta2, OneMinusBeta2, DecayFactor }
);

/// Every kernel with its name and scalar layout, in id order.
pub const KERNELS: [(Kernel, &str, &[&str]); 9] = [
    (Kernel::Sgd, "Sgd", SgdScalar::NAMES),
    (Kernel::Adagrad, "Adagrad", AdagradScalar::NAMES),
    (Kernel::Adadelta, "Adadelta", AdadeltaScalar::NAMES),
    (Kernel::Rmsprop, "Rmsprop", RmspropScalar::NAMES),
    (Kernel::Adam, "Adam", AdamScalar::NAMES),
    (Kernel::Adamax, "Adamax", AdamaxScalar::NAMES),
    (Kernel::Nadam, "Nadam", NadamScalar::NAMES),
    (Kernel::Radam, "Radam", RadamScalar::NAMES),
    (Kernel::Lion, "Lion", LionScalar::NAMES),
];

/// Every option flag with its name.
pub const FLAGS: [(&str, u32); 9] = [
    ("Maximize", flags::MAXIMIZE),
    ("L2WeightDecay", flags::L2_WEIGHT_DECAY),
    ("DecoupledWeightDecay", flags::DECOUPLED_WEIGHT_DECAY),
    ("Momentum", flags::MOMENTUM),
    ("Nesterov", flags::NESTEROV),
    ("Centered", flags::CENTERED),
    ("Amsgrad", flags::AMSGRAD),
    ("FirstStep", flags::FIRST_STEP),
    ("Rectify", flags::RECTIFY),
];

/// Every activation the dense kernels fuse, by the name the package gives it (`FusedActivation` in
/// backend.ts), with the id the exports take.
pub const ACTIVATIONS: [(&str, Activation); 2] = [("none", Activation::Identity), ("relu", Activation::Relu)];

/// [`Kernel::used_state`] as a bit mask (bit k: state slot k), or `u32::MAX` for an unknown kernel id.
pub fn used_state_mask(kernel: u32, flags: u32) -> u32 {
    match Kernel::from_id(kernel) {
        Some(kernel) => kernel.used_state(flags).iter().enumerate().map(|(k, &used)| u32::from(used) << k).sum(),
        None => u32::MAX,
    }
}

/// The ABI as JSON: `{"scalars":8,"flags":{"Maximize":1,…},"kernels":[{"name":"Sgd","id":0,
/// "scalars":["Lr",…]},…],"activations":{"none":0,"relu":1},"softmaxStats":3}` followed by the `extra` members (the bindings add their own: table
/// layout, error codes), each given as a name and a JSON value. Names are plain identifiers, so no
/// escaping is needed.
pub fn description(extra: &[(&str, String)]) -> String {
    let quoted = |names: &[&str]| names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(",");
    let flags = FLAGS.iter().map(|(name, bit)| format!("\"{name}\":{bit}")).collect::<Vec<_>>().join(",");
    let kernels = KERNELS
        .iter()
        .map(|(kernel, name, scalars)| format!("{{\"name\":\"{name}\",\"id\":{},\"scalars\":[{}]}}", *kernel as u32, quoted(scalars)))
        .collect::<Vec<_>>()
        .join(",");
    let activations = ACTIVATIONS.iter().map(|(name, a)| format!("\"{name}\":{}", *a as u32)).collect::<Vec<_>>().join(",");
    let stats = softmax::STATS;
    let extra: String = extra.iter().map(|(name, json)| format!(",\"{name}\":{json}")).collect();
    format!(
        "{{\"scalars\":{SCALARS},\"flags\":{{{flags}}},\"kernels\":[{kernels}],\"activations\":{{{activations}}},\"softmaxStats\":{stats}{extra}}}"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernels_are_listed_in_id_order_with_layouts_that_fit() {
        for (i, (kernel, _, scalars)) in KERNELS.iter().enumerate() {
            assert_eq!(Kernel::from_id(i as u32), Some(*kernel));
            assert!(scalars.len() <= SCALARS);
        }
        assert_eq!(Kernel::from_id(KERNELS.len() as u32), None);
    }

    #[test]
    fn flags_are_distinct_single_bits() {
        let all = FLAGS.iter().fold(0, |acc, &(_, bit)| {
            assert_eq!(bit.count_ones(), 1);
            assert_eq!(acc & bit, 0);
            acc | bit
        });
        assert_eq!(all.count_ones() as usize, FLAGS.len());
    }

    #[test]
    fn the_description_names_everything() {
        let json = description(&[("tableWords", "7".into())]);
        assert!(json.starts_with("{\"scalars\":8,\"flags\":{\"Maximize\":1,"));
        assert!(json.contains(
            "{\"name\":\"Lion\",\"id\":8,\"scalars\":[\"Lr\",\"Beta1\",\"OneMinusBeta1\",\"Beta2\",\"OneMinusBeta2\",\"DecayFactor\"]}"
        ));
        assert!(json.ends_with("],\"activations\":{\"none\":0,\"relu\":1},\"softmaxStats\":3,\"tableWords\":7}"));
        for (name, activation) in ACTIVATIONS {
            assert_eq!(Activation::from_id(activation as u32), Some(activation), "{name}");
        }
        assert_eq!(Activation::from_id(ACTIVATIONS.len() as u32), None);
        assert_eq!(used_state_mask(4, flags::AMSGRAD), 0b111);
        assert_eq!(used_state_mask(0, 0), 0);
        assert_eq!(used_state_mask(9, 0), u32::MAX);
    }
}
