//! Rendering expressions with placeholders: every attribute name becomes a
//! `#nN` and every value a `:vN`, so reserved words (`name`, `status`,
//! `size`), dots and spaces in names just work and no value is ever spliced
//! into the expression text. One [`Placeholders`] serves every expression of
//! a request (condition, update, projection, key condition, filter).

use super::path::{AttributePath, Segment};
use super::value::Operand;
use crate::attr::{AttributeError, Item};
use crate::Error;
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;
use std::fmt::Write;

/// DynamoDB's limit on the length of one expression.
pub const MAX_EXPRESSION_LENGTH: usize = 4096;

/// Allocates `#nN` / `:vN` placeholders for one request.
#[derive(Debug, Default)]
pub struct Placeholders {
    /// Attribute name → its placeholder, so a name used twice gets one.
    names: HashMap<String, String>,
    values: HashMap<String, AttributeValue>,
}

/// A value that could not be encoded, with the path it was meant for.
pub(crate) struct BadOperand {
    pub path: AttributePath,
    pub error: AttributeError,
}

impl BadOperand {
    /// The error to report for model `model`.
    pub fn into_error(self, model: &'static str) -> Error {
        Error::encode(model, &self.path.to_string(), self.error)
    }
}

impl Placeholders {
    /// A new, empty allocator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes `path` to `out` as placeholders: `#n0.#n1[2]`.
    pub fn path(&mut self, path: &AttributePath, out: &mut String) {
        for (i, segment) in path.segments().iter().enumerate() {
            match segment {
                Segment::Name(name) => {
                    if i > 0 {
                        out.push('.');
                    }
                    out.push_str(&self.name(name));
                }
                Segment::Index(index) => {
                    let _ = write!(out, "[{index}]");
                }
            }
        }
    }

    /// The placeholder of attribute name `name`.
    pub fn name(&mut self, name: &str) -> String {
        if let Some(placeholder) = self.names.get(name) {
            return placeholder.clone();
        }
        let placeholder = format!("#n{}", self.names.len());
        self.names.insert(name.to_owned(), placeholder.clone());
        placeholder
    }

    /// Writes a new value placeholder for `value` to `out`.
    pub fn value(&mut self, value: AttributeValue, out: &mut String) {
        let placeholder = format!(":v{}", self.values.len());
        out.push_str(&placeholder);
        self.values.insert(placeholder, value);
    }

    /// Writes a value placeholder for an operand of `path`, or reports why
    /// the operand could not be encoded.
    pub(crate) fn operand(
        &mut self,
        path: &AttributePath,
        operand: &Operand,
        out: &mut String,
    ) -> Result<(), BadOperand> {
        match operand {
            Ok(value) => {
                self.value(value.clone(), out);
                Ok(())
            }
            Err(error) => Err(BadOperand {
                path: path.clone(),
                error: error.clone(),
            }),
        }
    }

    /// The `ExpressionAttributeNames` and `ExpressionAttributeValues` of the
    /// request; `None` when empty, as DynamoDB rejects empty maps.
    pub fn into_maps(self) -> (Option<HashMap<String, String>>, Option<Item>) {
        let names: HashMap<String, String> = self
            .names
            .into_iter()
            .map(|(name, placeholder)| (placeholder, name))
            .collect();
        (
            (!names.is_empty()).then_some(names),
            (!self.values.is_empty()).then_some(self.values),
        )
    }
}

/// Checks a rendered expression against DynamoDB's length limit.
pub(crate) fn check_length(model: &'static str, kind: &str, expression: &str) -> crate::Result<()> {
    if expression.len() > MAX_EXPRESSION_LENGTH {
        return Err(Error::InvalidExpression {
            model,
            reason: format!(
                "the {kind} expression is {} bytes, over DynamoDB's limit of {MAX_EXPRESSION_LENGTH}; \
                 split the operation or simplify the expression",
                expression.len()
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_shared_and_values_are_not() {
        let mut placeholders = Placeholders::new();
        let mut out = String::new();
        let city = AttributePath::root("address").child("city");
        placeholders.path(&city, &mut out);
        out.push(' ');
        placeholders.path(&AttributePath::root("city").index(3), &mut out);
        out.push(' ');
        placeholders.value(AttributeValue::N("1".into()), &mut out);
        out.push(' ');
        placeholders.value(AttributeValue::N("1".into()), &mut out);
        assert_eq!(out, "#n0.#n1 #n1[3] :v0 :v1");
        let (names, values) = placeholders.into_maps();
        let names = names.unwrap();
        assert_eq!(names["#n0"], "address");
        assert_eq!(names["#n1"], "city");
        assert_eq!(values.unwrap().len(), 2);
    }

    #[test]
    fn empty_maps_are_left_out() {
        assert_eq!(Placeholders::new().into_maps(), (None, None));
    }
}
