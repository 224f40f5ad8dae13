//! Moodle XML, the format Moodle exports question banks in
//! (<https://docs.moodle.org/en/Moodle_XML_format>), embedded files included.

mod export;
mod kinds;
mod parse;
mod tree;

pub use export::to_moodle_xml;
pub use parse::parse;

#[cfg(test)]
mod tests;
