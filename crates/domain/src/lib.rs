//! Types and rules of Smart City Werkstatt. Nothing in here performs I/O: values are parsed once at the
//! edge (`parse`, don't validate) and the rules (size classes, permissions, throttling) are plain functions.

pub mod account;
pub mod audit;
pub mod benefit;
pub mod board;
pub mod concept;
pub mod definition;
pub mod exchange;
pub mod graph;
pub mod idea;
pub mod measure;
pub mod municipality;
pub mod network;
pub mod opendata;
pub mod participation;
pub mod permission;
pub mod process;
pub mod progress;
pub mod role;
pub mod survey;
pub mod throttle;
pub mod validation;
pub mod values;
pub mod visibility;
pub mod workshop;

pub use validation::{FieldError, FieldErrors};
