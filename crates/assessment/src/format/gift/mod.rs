//! GIFT, Moodle's plain-text question format
//! (<https://docs.moodle.org/en/GIFT_format>): questions separated by blank
//! lines, `::title::`, answers in braces.

mod answers;
mod export;
mod parse;
mod syntax;

pub use export::to_gift;
pub use parse::parse;

#[cfg(test)]
mod tests;
