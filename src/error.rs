//! The engine's one error type.
//!
//! Every fallible engine function returns [`Result`]. Messages carry the bad value and where it
//! was (`line 17, column 3: rating "abc" is not a number`); [`Error::code`] is a stable string that
//! JavaScript and the command-line tool switch on, never the message text. Panics are for bugs only.

/// The engine's result alias.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong with data a user gave or parameters a user chose.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// Input text could not be read. `line` and `column` are 1-based; `column` counts fields
    /// for delimited data (the first field is column 1).
    #[error("line {line}, column {column}: {message}")]
    Parse {
        line: usize,
        column: usize,
        message: String,
    },
    /// A hyper-parameter or option is out of its allowed range.
    #[error("{name} = {value}: {reason}")]
    InvalidParam {
        name: &'static str,
        value: String,
        reason: String,
    },
    /// There is nothing to train on or evaluate.
    #[error("empty data set: {0}")]
    EmptyDataset(String),
    /// A user or item index does not exist.
    #[error("{what} {index} does not exist (there are {len})")]
    OutOfRange {
        what: &'static str,
        index: usize,
        len: usize,
    },
    /// An operation needs something that is not there yet (for example a model before training).
    #[error("{0}")]
    NotReady(String),
    /// Data or a model larger than the page takes (see `session::Limits`).
    #[error("{0}")]
    TooLarge(String),
    /// A file of a model or data folder is not what it should be (a Spark model's metadata or
    /// factors, say): which file, and what is wrong.
    #[error("{file}: {message}")]
    BadFile { file: String, message: String },
}

impl Error {
    /// A stable, machine-readable code for the kind of error.
    ///
    /// ```
    /// use mf_playground::Error;
    /// let e = Error::EmptyDataset("no ratings".into());
    /// assert_eq!(e.code(), "empty_dataset");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Error::Parse { .. } => "parse_error",
            Error::InvalidParam { .. } => "invalid_param",
            Error::EmptyDataset(_) => "empty_dataset",
            Error::OutOfRange { .. } => "out_of_range",
            Error::NotReady(_) => "not_ready",
            Error::TooLarge(_) => "too_large",
            Error::BadFile { .. } => "bad_file",
        }
    }

    /// Shorthand for [`Error::InvalidParam`].
    pub fn invalid(name: &'static str, value: impl ToString, reason: impl Into<String>) -> Self {
        Error::InvalidParam {
            name,
            value: value.to_string(),
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::Parse`].
    pub fn parse(line: usize, column: usize, message: impl Into<String>) -> Self {
        Error::Parse {
            line,
            column,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_error_message_names_line_and_column() {
        let e = Error::parse(17, 3, "rating \"abc\" is not a number");
        assert_eq!(
            e.to_string(),
            "line 17, column 3: rating \"abc\" is not a number"
        );
        assert_eq!(e.code(), "parse_error");
    }

    #[test]
    fn invalid_param_message_carries_the_value() {
        let e = Error::invalid("learning_rate", -1.0, "must be positive");
        assert_eq!(e.to_string(), "learning_rate = -1: must be positive");
        assert_eq!(e.code(), "invalid_param");
    }
}
