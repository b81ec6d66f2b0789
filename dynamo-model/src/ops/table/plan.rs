//! Comparing a table with its model: [`Model::plan`](crate::Model::plan)
//! reads the table and lists, as a [`TablePlan`], every change that brings
//! it in line. Nothing the model does not know is ever removed unless
//! asked, and changes that lose something are marked destructive.

use super::apply::ApplyPlan;
use super::spec::{Billing, TableSpec};
use super::state::{projection_text, TableState};
use crate::client::Client;
use crate::model::Model;
use crate::ops::builder::into_future;
use crate::schema::{
    IndexKind, IndexProjection, IndexSchema, KeySchema, StreamView, TableClass, Throughput,
};
use crate::Result;
use std::fmt;
use std::marker::PhantomData;

/// One change that brings a table in line with its model.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TableChange {
    /// There is no table: create it with everything the model declares.
    CreateTable,
    /// Add a global index the model declares (DynamoDB backfills it).
    AddIndex {
        /// The index name.
        name: String,
    },
    /// A global index's keys or projection are not the model's: delete it
    /// and add it again. Destructive: queries of the index fail until the
    /// new one is backfilled.
    ReplaceIndex {
        /// The index name.
        name: String,
        /// Keys and projection on the table.
        found: String,
        /// Keys and projection in the model.
        wanted: String,
    },
    /// Delete a global index the model does not know; planned only when
    /// asked ([`PlanTable::drop_unknown_indexes`]). Destructive.
    DropIndex {
        /// The index name.
        name: String,
    },
    /// Change how the table is billed, or its provisioned capacity.
    Billing {
        /// As billed now.
        from: Billing,
        /// As the model wants.
        to: Billing,
    },
    /// Change a global index's provisioned capacity.
    IndexThroughput {
        /// The index name.
        name: String,
        /// Its capacity now.
        from: Option<Throughput>,
        /// The model's.
        to: Throughput,
    },
    /// Turn the stream on, off, or to another view (DynamoDB needs it
    /// turned off first). Destructive when a stream is on: its readers lose
    /// their place and a new stream starts.
    Stream {
        /// The view now, `None` when off.
        from: Option<StreamView>,
        /// The model's.
        to: Option<StreamView>,
    },
    /// Change the storage class.
    TableClass {
        /// The class now.
        from: TableClass,
        /// The model's.
        to: TableClass,
    },
    /// Turn deletion protection on.
    DeletionProtection,
    /// Add or change these tags (tags the table has besides are kept).
    Tags {
        /// The tags to set.
        set: Vec<(String, String)>,
    },
    /// Turn TTL on, off, or to another attribute (DynamoDB needs it turned
    /// off first, and on AWS turning it off can take an hour). Destructive
    /// when TTL is on: items stop expiring.
    Ttl {
        /// The TTL attribute now, `None` when off.
        from: Option<String>,
        /// The model's.
        to: Option<String>,
    },
}

impl TableChange {
    /// The change loses something: an index (until it is rebuilt), a
    /// stream's position, or expiry. [`ApplyPlan`] refuses it unless
    /// [`allow_destructive`](ApplyPlan::allow_destructive) is asked.
    pub fn is_destructive(&self) -> bool {
        match self {
            Self::ReplaceIndex { .. } | Self::DropIndex { .. } => true,
            Self::Stream { from, .. } => from.is_some(),
            Self::Ttl { from, .. } => from.is_some(),
            _ => false,
        }
    }
}

impl fmt::Display for TableChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let view = |v: &Option<StreamView>| v.map_or("off".to_owned(), |v| v.to_string());
        let ttl = |t: &Option<String>| t.as_ref().map_or("off".to_owned(), |t| format!("`{t}`"));
        match self {
            Self::CreateTable => f.write_str("create the table"),
            Self::AddIndex { name } => write!(f, "add global index `{name}`"),
            Self::ReplaceIndex {
                name,
                found,
                wanted,
            } => write!(
                f,
                "replace global index `{name}` (delete, then add): it is {found}, the model has {wanted}"
            ),
            Self::DropIndex { name } => write!(f, "delete global index `{name}`"),
            Self::Billing { from, to } => write!(f, "billing: {from} -> {to}"),
            Self::IndexThroughput { name, from, to } => match from {
                Some(from) => write!(f, "global index `{name}`: {from} -> {to}"),
                None => write!(f, "global index `{name}`: -> {to}"),
            },
            Self::Stream { from, to } => write!(f, "stream: {} -> {}", view(from), view(to)),
            Self::TableClass { from, to } => write!(f, "table class: {from} -> {to}"),
            Self::DeletionProtection => f.write_str("turn deletion protection on"),
            Self::Tags { set } => {
                let tags: Vec<String> = set.iter().map(|(k, v)| format!("{k}={v}")).collect();
                write!(f, "set tags {}", tags.join(", "))
            }
            Self::Ttl { from, to } => write!(f, "TTL: {} -> {}", ttl(from), ttl(to)),
        }
    }
}

/// What it takes to bring a table in line with its model, from
/// [`Model::plan`](crate::Model::plan). `Display` prints it as a readable
/// diff; [`is_empty`](Self::is_empty) is the drift check.
///
/// ```no_run
/// # use dynamo_model::{Client, Model};
/// # #[derive(Model)] struct User { #[model(hash_key)] id: String }
/// # async fn demo(db: &Client) -> dynamo_model::Result<()> {
/// let plan = User::plan(db).await?;
/// println!("{plan}");
/// if !plan.is_empty() {
///     plan.apply(db).await?;
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct TablePlan {
    pub(super) model: &'static str,
    pub(super) table: String,
    pub(super) spec: TableSpec,
    pub(super) drop_unknown: bool,
    pub(super) diff: Diff,
}

impl TablePlan {
    /// The table matches the model: no change and no conflict (what it
    /// keeps and what could not be verified aside).
    pub fn is_empty(&self) -> bool {
        self.diff.changes.is_empty() && self.diff.conflicts.is_empty()
    }

    /// The changes, in the order [`apply`](Self::apply) makes them.
    pub fn changes(&self) -> &[TableChange] {
        &self.diff.changes
    }

    /// The destructive changes (see [`TableChange::is_destructive`]).
    pub fn destructive(&self) -> impl Iterator<Item = &TableChange> {
        self.diff.changes.iter().filter(|c| c.is_destructive())
    }

    /// Differences no change can fix in place (the table's key, a local
    /// index); `apply` refuses while there are any.
    pub fn conflicts(&self) -> &[String] {
        &self.diff.conflicts
    }

    /// What the table has and the model does not know, kept as it is.
    pub fn kept(&self) -> &[String] {
        &self.diff.kept
    }

    /// Settings that could not be compared (DynamoDB Local has no tagging
    /// and ignores table classes).
    pub fn unverified(&self) -> &[String] {
        &self.diff.unverified
    }

    /// The table name (with the client's prefix and suffix).
    pub fn table(&self) -> &str {
        &self.table
    }

    /// Carries the plan out (see [`ApplyPlan`]).
    pub fn apply<'a>(&'a self, client: &'a Client) -> ApplyPlan<'a> {
        ApplyPlan::new(client, self)
    }
}

impl fmt::Display for TablePlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (table, model) = (&self.table, self.model);
        if self.is_empty() {
            writeln!(f, "table `{table}` matches model {model}")?;
        } else {
            writeln!(f, "table `{table}` (model {model}):")?;
        }
        for change in &self.diff.changes {
            let sign = match change {
                TableChange::CreateTable | TableChange::AddIndex { .. } => '+',
                TableChange::DropIndex { .. } => '-',
                _ => '~',
            };
            let note = if change.is_destructive() {
                " [destructive]"
            } else {
                ""
            };
            writeln!(f, "  {sign} {change}{note}")?;
        }
        for conflict in &self.diff.conflicts {
            writeln!(f, "  ! {conflict}")?;
        }
        for kept in &self.diff.kept {
            writeln!(f, "  = {kept}")?;
        }
        for unverified in &self.diff.unverified {
            writeln!(f, "  ? {unverified}")?;
        }
        Ok(())
    }
}

/// Reads the model's table and plans the changes that bring it in line:
/// [`Model::plan`](crate::Model::plan). Sends only read requests.
#[must_use = "a builder does nothing until awaited"]
pub struct PlanTable<'a, M: Model> {
    client: &'a Client,
    spec: TableSpec,
    drop_unknown: bool,
    model: PhantomData<M>,
}

impl<'a, M: Model> PlanTable<'a, M> {
    pub(crate) fn new(client: &'a Client) -> Self {
        Self {
            client,
            spec: TableSpec::new(M::SCHEMA),
            drop_unknown: false,
            model: PhantomData,
        }
    }

    /// Also plan deleting the global indexes the model does not know
    /// (destructive); by default they are kept and reported.
    pub fn drop_unknown_indexes(mut self) -> Self {
        self.drop_unknown = true;
        self
    }

    /// Reads the table and returns the plan.
    pub async fn send(self) -> Result<TablePlan> {
        let table = self.client.table_name::<M>();
        let state = TableState::read(self.client, &table).await?;
        Ok(TablePlan {
            model: M::SCHEMA.model,
            diff: Diff::new(&self.spec, state.as_ref(), self.drop_unknown),
            table,
            spec: self.spec,
            drop_unknown: self.drop_unknown,
        })
    }
}
into_future!(PlanTable<'a, M> => TablePlan);
super::spec::spec_options!(PlanTable);

/// The differences between a table and what its model wants.
#[derive(Debug, Clone, Default)]
pub(super) struct Diff {
    pub changes: Vec<TableChange>,
    pub conflicts: Vec<String>,
    pub kept: Vec<String>,
    pub unverified: Vec<String>,
}

impl Diff {
    /// Compares `state` (`None`: no table) with `spec`. The changes come in
    /// the order they are applied: index deletions first (they free
    /// DynamoDB's one-index-change-at-a-time slot), billing before adding
    /// indexes (which need its capacity), TTL last (turning it off can
    /// hold up what follows for an hour on AWS).
    pub fn new(spec: &TableSpec, state: Option<&TableState>, drop_unknown: bool) -> Self {
        let mut diff = Self::default();
        let Some(state) = state else {
            diff.changes.push(TableChange::CreateTable);
            return diff;
        };
        let schema = &spec.schema;
        let options = &schema.table_options;

        let wanted_keys = keys_text(schema.key_attributes());
        if state.keys != wanted_keys {
            diff.conflicts.push(format!(
                "the table's key is {} but the model's is {}; a table's key cannot change: \
                 create a new table and copy the items",
                state.keys.join(", "),
                wanted_keys.join(", ")
            ));
        }
        diff.local_indexes(spec, state);

        for index in &state.global {
            match spec.global_indexes().find(|i| i.name == index.name) {
                Some(wanted) => {
                    let (found, wanted) = (
                        index_text(&index.keys, &index.projection),
                        index_text(&keys_text(wanted.key_attributes()), &projection_of(wanted)),
                    );
                    if found != wanted {
                        diff.changes.push(TableChange::ReplaceIndex {
                            name: index.name.clone(),
                            found,
                            wanted,
                        });
                    }
                }
                None if drop_unknown => diff.changes.push(TableChange::DropIndex {
                    name: index.name.clone(),
                }),
                None => diff.kept.push(format!(
                    "global index `{}` is not in the model; kept",
                    index.name
                )),
            }
        }

        if state.billing != spec.billing {
            diff.changes.push(TableChange::Billing {
                from: state.billing,
                to: spec.billing,
            });
        }
        for index in spec.global_indexes() {
            if state.global.iter().all(|i| i.name != index.name) {
                diff.key_types(state, index);
                diff.changes.push(TableChange::AddIndex {
                    name: index.name.to_owned(),
                });
            }
        }
        if matches!(state.billing, Billing::Provisioned(_)) {
            for index in spec.global_indexes() {
                let (Some(found), Some(to)) = (
                    state.global.iter().find(|i| i.name == index.name),
                    spec.index_throughput(index),
                ) else {
                    continue;
                };
                if found.throughput != Some(to) {
                    diff.changes.push(TableChange::IndexThroughput {
                        name: index.name.to_owned(),
                        from: found.throughput,
                        to,
                    });
                }
            }
        }

        if state.stream != options.stream {
            diff.changes.push(TableChange::Stream {
                from: state.stream,
                to: options.stream,
            });
        }
        if let Some(class) = options.table_class {
            if state.on_local {
                diff.unverified.push(format!(
                    "table class {class}: DynamoDB Local ignores table classes, so it is not compared"
                ));
            } else if state.table_class != class {
                diff.changes.push(TableChange::TableClass {
                    from: state.table_class,
                    to: class,
                });
            }
        }
        if options.deletion_protection && !state.deletion_protection {
            diff.changes.push(TableChange::DeletionProtection);
        }
        if !spec.tags.is_empty() {
            match &state.tags {
                None => diff.unverified.push(
                    "tags: DynamoDB Local has no tagging, so they are not compared".to_owned(),
                ),
                Some(tags) => {
                    let set: Vec<(String, String)> = spec
                        .tags
                        .iter()
                        .filter(|tag| !tags.contains(tag))
                        .cloned()
                        .collect();
                    if !set.is_empty() {
                        diff.changes.push(TableChange::Tags { set });
                    }
                }
            }
        }
        let ttl = schema.ttl.map(str::to_owned);
        if state.ttl != ttl {
            diff.changes.push(TableChange::Ttl {
                from: state.ttl.clone(),
                to: ttl,
            });
        }
        diff
    }

    /// Local indexes exist from the table's creation on and never change:
    /// a missing or different one is a conflict, an unknown one is kept.
    fn local_indexes(&mut self, spec: &TableSpec, state: &TableState) {
        let wanted = spec
            .schema
            .indexes
            .iter()
            .filter(|i| i.kind == IndexKind::Local);
        for index in wanted {
            let text = index_text(&keys_text(index.key_attributes()), &projection_of(index));
            match state.local.iter().find(|i| i.name == index.name) {
                None => self.conflicts.push(format!(
                    "local index `{}` is not on the table; local indexes are made with the \
                     table only: create a new table, or make it a global index",
                    index.name
                )),
                Some(found) if index_text(&found.keys, &found.projection) != text => {
                    self.conflicts.push(format!(
                        "local index `{}` is {} but the model has {text}; local indexes \
                         cannot change: create a new table, or make it a global index",
                        index.name,
                        index_text(&found.keys, &found.projection)
                    ))
                }
                Some(_) => {}
            }
        }
        for index in &state.local {
            if spec.schema.index(&index.name).is_none() {
                self.kept.push(format!(
                    "local index `{}` is not in the model; kept",
                    index.name
                ));
            }
        }
    }

    /// A new index's key attribute the table already defines with another
    /// type is a conflict DynamoDB would reject the index for.
    fn key_types(&mut self, state: &TableState, index: &IndexSchema) {
        for key in index.key_attributes() {
            let wanted = key.scalar.to_sdk();
            if let Some((_, found)) = state
                .definitions
                .iter()
                .find(|(name, found)| name == key.name && found != wanted.as_str())
            {
                self.conflicts.push(format!(
                    "global index `{}` has key `{}` of type {}, but the table defines it as {found}",
                    index.name,
                    key.name,
                    wanted.as_str()
                ));
            }
        }
    }
}

fn keys_text<'s>(keys: impl Iterator<Item = &'s KeySchema>) -> Vec<String> {
    keys.map(|k| format!("{} ({})", k.name, k.scalar.to_sdk().as_str()))
        .collect()
}

fn projection_of(index: &IndexSchema) -> String {
    match index.projection {
        IndexProjection::All => "ALL".to_owned(),
        IndexProjection::KeysOnly => "KEYS_ONLY".to_owned(),
        IndexProjection::Include(names) => {
            projection_text("INCLUDE", names.iter().map(|&n| n.to_owned()).collect())
        }
    }
}

fn index_text(keys: &[String], projection: &str) -> String {
    format!("keys {}, projection {projection}", keys.join(", "))
}
