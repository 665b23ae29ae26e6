//! wirewatch: a news-monitoring daemon.
//!
//! The crate is laid out along the data flow of `DESIGN.md`:
//!
//! ```text
//! config ─► fetch ─► parse ─► identity ─► normalize ─► extract ─► rules ─► alert ─► sinks
//!                               store (SQLite): feeds, items, extractions, matches, outbox, digests
//!                               digest: daily Markdown from the store
//! ```
//!
//! Every stage is a plain function or small struct with the clock passed in; I/O lives in
//! [`fetch`], [`store`], [`alert`] (the sinks) and the wiring in [`app`]. The binary
//! (`src/main.rs`) only parses the command line and calls [`cli::run`].

pub mod alert;
pub mod app;
pub mod cli;
pub mod config;
pub mod digest;
pub mod extract;
pub mod fetch;
pub mod fulltext;
pub mod http;
pub mod identity;
pub mod metrics;
pub mod normalize;
pub mod opml;
pub mod parse;
pub mod rules;
pub mod schedule;
pub mod service;
pub mod store;
pub mod story;
