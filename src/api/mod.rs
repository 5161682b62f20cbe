//! The MixPay client: typed requests and responses, tolerant parsing, and
//! one error type (`ApiError`) whose messages are written for the cashier.

pub mod budget;
pub mod client;
pub mod error;
pub mod parse;
#[cfg(test)]
mod parse_serde;

pub use client::MixPayClient;
pub use error::ApiError;
