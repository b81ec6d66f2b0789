//! Integration tests against DynamoDB Local, in one test binary so one
//! DynamoDB Local (started on first use, stopped when the binary exits)
//! serves every test. Each test makes its own tables under a unique prefix,
//! so tests run in parallel.

mod batch;
mod changes;
mod common;
mod customize;
mod dynamoose;
mod enums;
mod expr;
mod expr_props;
mod fault_proxy;
mod faults;
mod feature_types;
mod hooks;
mod item;
mod keys;
mod local;
mod locking;
mod observe;
mod plan;
mod preflight;
mod query;
mod rules;
mod schema_rules;
mod spans;
mod stream;
mod transaction;
mod trigger;
