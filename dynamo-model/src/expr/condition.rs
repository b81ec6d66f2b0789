//! Conditions: for conditional writes, filters of queries and scans, and
//! transaction condition checks.
//!
//! Built from typed paths (`fields.logins.gt(10)`) and combined with `&`,
//! `|` and `!` (or [`Condition::and`], [`Condition::or`], [`Condition::not`]);
//! grouping follows Rust's own precedence and is rendered with parentheses.

use super::path::{AttributePath, Path, TypedPath};
use super::render::{BadOperand, Placeholders};
use super::value::{check_between, IntoValue, Operand};
use crate::attr::Attribute;
use aws_sdk_dynamodb::types::AttributeValue;
use std::ops::{BitAnd, BitOr, Not};

/// DynamoDB's limit on the operands of one `IN`.
pub const MAX_IN_OPERANDS: usize = 100;

/// A condition on an item.
///
/// ```
/// use dynamo_model::expr::{AttributePath, Condition, FromPath, Path};
///
/// let logins: Path<u64> = Path::from_path(AttributePath::root("logins"));
/// let name: Path<String> = Path::from_path(AttributePath::root("name"));
/// let c: Condition = (logins.gt(10) | name.begins_with("A")) & !name.eq("Bob");
/// ```
#[derive(Debug, Clone)]
pub struct Condition(Node);

/// A comparison operator, of conditions and of query key conditions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Comparator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Comparator {
    /// The operator as DynamoDB writes it.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Eq => "=",
            Self::Ne => "<>",
            Self::Lt => "<",
            Self::Le => "<=",
            Self::Gt => ">",
            Self::Ge => ">=",
        }
    }
}

/// What a comparison reads of its attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Compared {
    /// The value: `path > :v`.
    Value,
    /// Its size: `size(path) > :v`.
    Size,
}

#[derive(Debug, Clone)]
enum Node {
    Compare {
        path: AttributePath,
        compared: Compared,
        op: Comparator,
        value: Operand,
    },
    Between {
        path: AttributePath,
        low: Operand,
        high: Operand,
    },
    In {
        path: AttributePath,
        values: Vec<Operand>,
    },
    Function {
        name: &'static str,
        path: AttributePath,
        argument: Option<Operand>,
    },
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
}

/// A stored type, for [`Path::attribute_type`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)] // DynamoDB's own type names
pub enum AttributeType {
    S,
    N,
    B,
    Bool,
    Null,
    L,
    M,
    Ss,
    Ns,
    Bs,
}

impl AttributeType {
    fn name(self) -> &'static str {
        match self {
            Self::S => "S",
            Self::N => "N",
            Self::B => "B",
            Self::Bool => "BOOL",
            Self::Null => "NULL",
            Self::L => "L",
            Self::M => "M",
            Self::Ss => "SS",
            Self::Ns => "NS",
            Self::Bs => "BS",
        }
    }
}

impl Condition {
    pub(crate) fn function(
        name: &'static str,
        path: &AttributePath,
        argument: Option<Operand>,
    ) -> Self {
        Self(Node::Function {
            name,
            path: path.clone(),
            argument,
        })
    }

    pub(crate) fn compare(
        path: &AttributePath,
        compared: Compared,
        op: Comparator,
        value: Operand,
    ) -> Self {
        Self(Node::Compare {
            path: path.clone(),
            compared,
            op,
            value,
        })
    }

    /// Both conditions hold.
    pub fn and(self, other: Condition) -> Condition {
        Self(Node::And(Box::new(self.0), Box::new(other.0)))
    }

    /// Either condition holds.
    pub fn or(self, other: Condition) -> Condition {
        Self(Node::Or(Box::new(self.0), Box::new(other.0)))
    }

    /// The condition does not hold.
    #[allow(clippy::should_implement_trait)] // `!` works too, via `Not`
    pub fn not(self) -> Condition {
        Self(Node::Not(Box::new(self.0)))
    }

    /// The item exists: `attribute_exists` of `key_attribute`.
    pub(crate) fn exists_at(key_attribute: &'static str) -> Condition {
        Self::function(
            "attribute_exists",
            &AttributePath::root(key_attribute),
            None,
        )
    }

    /// The item does not exist: `attribute_not_exists` of `key_attribute`.
    pub(crate) fn absent_at(key_attribute: &'static str) -> Condition {
        Self::function(
            "attribute_not_exists",
            &AttributePath::root(key_attribute),
            None,
        )
    }

    /// The condition as expression text, its names and values allocated in
    /// `placeholders` — for requests built with the SDK directly.
    ///
    /// ```
    /// use dynamo_model::expr::{AttributePath, FromPath, Path, Placeholders};
    ///
    /// let status: Path<u32> = Path::from_path(AttributePath::root("status"));
    /// let mut placeholders = Placeholders::new();
    /// let text = status.ge(2).to_expression(&mut placeholders)?;
    /// assert_eq!(text, "#n0 >= :v0");
    /// let (names, values) = placeholders.into_maps();
    /// # Ok::<(), dynamo_model::Error>(())
    /// ```
    pub fn to_expression(&self, placeholders: &mut Placeholders) -> crate::Result<String> {
        self.render_for("expression", "condition", placeholders)
    }

    /// Renders the condition, allocating placeholders in `placeholders`.
    pub(crate) fn render(&self, placeholders: &mut Placeholders) -> Result<String, BadOperand> {
        let mut out = String::new();
        render(&self.0, placeholders, &mut out)?;
        Ok(out)
    }

    /// Renders the condition for model `model`, checking DynamoDB's limits.
    pub(crate) fn render_for(
        &self,
        model: &'static str,
        kind: &str,
        placeholders: &mut Placeholders,
    ) -> crate::Result<String> {
        let text = self
            .render(placeholders)
            .map_err(|bad| bad.into_error(model))?;
        super::render::check_length(model, kind, &text)?;
        Ok(text)
    }
}

fn render(node: &Node, p: &mut Placeholders, out: &mut String) -> Result<(), BadOperand> {
    match node {
        Node::Compare {
            path,
            compared,
            op,
            value,
        } => {
            match compared {
                Compared::Size => {
                    out.push_str("size(");
                    p.path(path, out);
                    out.push(')');
                }
                Compared::Value => p.path(path, out),
            }
            out.push(' ');
            out.push_str(op.symbol());
            out.push(' ');
            p.operand(path, value, out)?;
        }
        Node::Between { path, low, high } => {
            if let (Ok(low), Ok(high)) = (low, high) {
                check_between(low, high).map_err(|reason| BadOperand {
                    path: path.clone(),
                    error: crate::attr::AttributeError::invalid(reason),
                })?;
            }
            p.path(path, out);
            out.push_str(" BETWEEN ");
            p.operand(path, low, out)?;
            out.push_str(" AND ");
            p.operand(path, high, out)?;
        }
        Node::In { path, values } => {
            if values.is_empty() || values.len() > MAX_IN_OPERANDS {
                return Err(BadOperand {
                    path: path.clone(),
                    error: crate::attr::AttributeError::invalid(format!(
                        "IN takes 1 to {MAX_IN_OPERANDS} values, not {}; split the condition",
                        values.len()
                    )),
                });
            }
            p.path(path, out);
            out.push_str(" IN (");
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                p.operand(path, value, out)?;
            }
            out.push(')');
        }
        Node::Function {
            name,
            path,
            argument,
        } => {
            out.push_str(name);
            out.push('(');
            p.path(path, out);
            if let Some(argument) = argument {
                out.push_str(", ");
                p.operand(path, argument, out)?;
            }
            out.push(')');
        }
        Node::And(a, b) | Node::Or(a, b) => {
            let word = if matches!(node, Node::And(..)) {
                " AND "
            } else {
                " OR "
            };
            out.push('(');
            render(a, p, out)?;
            out.push_str(word);
            render(b, p, out)?;
            out.push(')');
        }
        Node::Not(a) => {
            out.push_str("(NOT ");
            render(a, p, out)?;
            out.push(')');
        }
    }
    Ok(())
}

impl BitAnd for Condition {
    type Output = Condition;
    fn bitand(self, other: Condition) -> Condition {
        self.and(other)
    }
}

impl BitOr for Condition {
    type Output = Condition;
    fn bitor(self, other: Condition) -> Condition {
        self.or(other)
    }
}

impl Not for Condition {
    type Output = Condition;
    fn not(self) -> Condition {
        Condition::not(self)
    }
}

/// Conditions on any attribute, whatever its type.
impl<T> Path<T> {
    /// The attribute exists.
    pub fn exists(&self) -> Condition {
        Condition::function("attribute_exists", self.attribute_path(), None)
    }

    /// The attribute does not exist.
    pub fn not_exists(&self) -> Condition {
        Condition::function("attribute_not_exists", self.attribute_path(), None)
    }

    /// The attribute is stored as `kind`.
    pub fn attribute_type(&self, kind: AttributeType) -> Condition {
        let value = Ok(AttributeValue::S(kind.name().to_owned()));
        Condition::function("attribute_type", self.attribute_path(), Some(value))
    }

    /// The size of the attribute (string length, bytes, elements), to
    /// compare with a number.
    pub fn size(&self) -> Size {
        Size(self.attribute_path().clone())
    }
}

/// Comparisons with values of the attribute's own type.
impl<T: Attribute> Path<T> {
    /// `path <op> value`, the value stored as the attribute stores it.
    fn compare_with(&self, op: Comparator, value: impl IntoValue<T>) -> Condition {
        Condition::compare(
            self.attribute_path(),
            Compared::Value,
            op,
            self.store(value.into_value()),
        )
    }

    /// `= value`.
    pub fn eq(&self, value: impl IntoValue<T>) -> Condition {
        self.compare_with(Comparator::Eq, value)
    }

    /// `<> value`.
    pub fn ne(&self, value: impl IntoValue<T>) -> Condition {
        self.compare_with(Comparator::Ne, value)
    }

    /// `< value`.
    pub fn lt(&self, value: impl IntoValue<T>) -> Condition {
        self.compare_with(Comparator::Lt, value)
    }

    /// `<= value`.
    pub fn le(&self, value: impl IntoValue<T>) -> Condition {
        self.compare_with(Comparator::Le, value)
    }

    /// `> value`.
    pub fn gt(&self, value: impl IntoValue<T>) -> Condition {
        self.compare_with(Comparator::Gt, value)
    }

    /// `>= value`.
    pub fn ge(&self, value: impl IntoValue<T>) -> Condition {
        self.compare_with(Comparator::Ge, value)
    }

    /// `BETWEEN low AND high` (both included).
    pub fn between(&self, low: impl IntoValue<T>, high: impl IntoValue<T>) -> Condition {
        Condition(Node::Between {
            path: self.attribute_path().clone(),
            low: self.store(low.into_value()),
            high: self.store(high.into_value()),
        })
    }

    /// `IN (values)`: equal to one of 1 to 100 values.
    pub fn is_in<V: IntoValue<T>>(&self, values: impl IntoIterator<Item = V>) -> Condition {
        Condition(Node::In {
            path: self.attribute_path().clone(),
            values: values
                .into_iter()
                .map(|value| self.store(value.into_value()))
                .collect(),
        })
    }
}

/// String conditions.
impl Path<String> {
    /// The string starts with `prefix`.
    pub fn begins_with(&self, prefix: impl Into<String>) -> Condition {
        let value = Ok(AttributeValue::S(prefix.into()));
        Condition::function("begins_with", self.attribute_path(), Some(value))
    }

    /// The string contains `part`.
    pub fn contains(&self, part: impl Into<String>) -> Condition {
        let value = Ok(AttributeValue::S(part.into()));
        Condition::function("contains", self.attribute_path(), Some(value))
    }
}

/// `size(path)`, compared with a number.
#[derive(Debug, Clone)]
pub struct Size(AttributePath);

macro_rules! size_comparisons {
    ($($name:ident => $op:ident $symbol:literal),*) => {
        impl Size {$(
            #[doc = concat!("`size(path) ", $symbol, " n`.")]
            pub fn $name(&self, n: u64) -> Condition {
                let n = Ok(AttributeValue::N(n.to_string()));
                Condition::compare(&self.0, Compared::Size, Comparator::$op, n)
            }
        )*}
    };
}

size_comparisons!(eq => Eq "=", ne => Ne "<>", lt => Lt "<", le => Le "<=", gt => Gt ">", ge => Ge ">=");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::FromPath;

    fn path<T>(name: &'static str) -> Path<T> {
        Path::from_path(AttributePath::root(name))
    }

    fn rendered(condition: &Condition) -> (String, Placeholders) {
        let mut placeholders = Placeholders::new();
        let text = condition.render(&mut placeholders).ok().unwrap();
        (text, placeholders)
    }

    #[test]
    fn operators_render_with_placeholders_and_grouping() {
        let logins = path::<u64>("logins");
        let name = path::<String>("name");
        let c = (logins.gt(10) | name.begins_with("A")) & !name.eq("Bob");
        let (text, placeholders) = rendered(&c);
        assert_eq!(
            text,
            "((#n0 > :v0 OR begins_with(#n1, :v1)) AND (NOT #n1 = :v2))"
        );
        let (names, values) = placeholders.into_maps();
        assert_eq!(names.unwrap()["#n1"], "name");
        assert_eq!(values.unwrap()[":v0"], AttributeValue::N("10".into()));
    }

    #[test]
    fn functions_between_in_and_size() {
        let score = path::<f64>("score");
        let tags = path::<Vec<String>>("tags");
        let c = score.between(1.5, 2.5)
            & score.is_in([1.0, 2.0])
            & tags.size().ge(2)
            & tags.exists()
            & score.attribute_type(AttributeType::N);
        let (text, _) = rendered(&c);
        assert_eq!(
            text,
            "((((#n0 BETWEEN :v0 AND :v1 AND #n0 IN (:v2, :v3)) AND size(#n1) >= :v4) AND attribute_exists(#n1)) AND attribute_type(#n0, :v5))"
        );
    }

    #[test]
    fn bad_operands_name_their_path() {
        let score = path::<f64>("score");
        let error = score
            .gt(f64::NAN)
            .render(&mut Placeholders::new())
            .err()
            .unwrap();
        assert_eq!(error.path.to_string(), "score");
        let too_many = score.is_in((0..101).map(f64::from));
        let error = too_many.render(&mut Placeholders::new()).err().unwrap();
        assert!(error.error.to_string().contains("1 to 100"));
    }
}
