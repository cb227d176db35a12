//! Placeholder; the export crate is being written.
