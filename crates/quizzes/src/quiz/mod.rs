//! Quizzes and attempts as plain data and pure rules: the settings and slots
//! ([`settings`]), and what an attempt pins, when it must end and what its
//! learner may see of it ([`attempt`]).

pub mod analysis;
pub mod answer;
pub mod attempt;
pub mod settings;
