//! Pages everyone can see: the start page, a city's public page, legal pages, the language switch.

pub mod home;
pub mod language;
pub mod legal;
pub mod municipality;
