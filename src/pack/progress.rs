//! How far an install has got: the install counts its steps with [`crate::steps::Steps`] (each
//! file unpacked, each module checked, the final move), which its window shows as a progress bar.

/// Steps done out of the install's total, shared between the install and its window.
pub type InstallProgress = crate::steps::Steps;
