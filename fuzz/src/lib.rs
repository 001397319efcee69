//! What the fuzz targets share: the vocabulary generated policies are made
//! of, the structure-aware scenarios, and the differential oracles that make
//! a wrong answer a finding, not only a crash.

pub mod oracle;
pub mod scenario;
pub mod vocabulary;
