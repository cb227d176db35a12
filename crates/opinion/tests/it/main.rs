//! Integration tests of the opinion map: planted groups are recovered (property tests), the Pol.is export
//! round-trips, and recomputation from a previous analysis is stable.

mod analysis;
mod planted;
mod polis;
