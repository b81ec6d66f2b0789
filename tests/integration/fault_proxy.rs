//! A fault-injecting HTTP proxy in front of DynamoDB Local.
//!
//! It changes what the network does, never what DynamoDB does: requests reach
//! the real DynamoDB Local, but the proxy can answer a request with a
//! throttling error instead of forwarding it, drop the response of a request
//! it forwarded (the write happened, the client never hears), or forward only
//! part of a batch and report the rest as unprocessed, as DynamoDB does under
//! load. Each decision comes from a [`Policy`] the test supplies.

use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// What the proxy does with one request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fault {
    /// Pass it through untouched.
    Forward,
    /// Answer `400 ThrottlingException` without forwarding.
    Throttle,
    /// Forward it, then close the connection instead of answering.
    DropResponse,
    /// For BatchWriteItem / BatchGetItem: forward each write request or key
    /// only with probability `1 - fraction`, and report the withheld ones as
    /// UnprocessedItems / UnprocessedKeys. Other operations are forwarded.
    Unprocess(f64),
}

/// Chooses the fault for a request: its operation (`BatchWriteItem`) and the
/// number of requests of that operation seen before it. The random source is
/// the proxy's seeded generator, so runs are repeatable.
pub type Policy = Arc<dyn Fn(&str, u64, &mut Random) -> Fault + Send + Sync>;

/// A small seeded generator (xorshift64*), enough to pick faults.
pub struct Random(u64);

impl Random {
    /// A uniform number in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A running proxy; stops when dropped.
pub struct FaultProxy {
    endpoint: String,
    stats: Arc<Mutex<HashMap<(String, &'static str), u64>>>,
    task: JoinHandle<()>,
}

struct Shared {
    upstream: String,
    policy: Policy,
    random: Mutex<Random>,
    seen: Mutex<HashMap<String, u64>>,
    stats: Arc<Mutex<HashMap<(String, &'static str), u64>>>,
}

impl FaultProxy {
    /// Starts a proxy on a free loopback port in front of `upstream`
    /// (`http://host:port`), deciding faults with `policy`.
    pub async fn start(upstream: &str, seed: u64, policy: Policy) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let stats = Arc::default();
        let shared = Arc::new(Shared {
            upstream: upstream
                .trim_start_matches("http://")
                .trim_end_matches('/')
                .to_owned(),
            policy,
            random: Mutex::new(Random(seed.max(1))),
            seen: Mutex::default(),
            stats: Arc::clone(&stats),
        });
        let task = tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(serve(socket, Arc::clone(&shared)));
            }
        });
        Self {
            endpoint,
            stats,
            task,
        }
    }

    /// The endpoint clients should use.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// How many requests of `operation` got fault `kind` ("forward",
    /// "throttle", "drop", "unprocess").
    pub fn count(&self, operation: &str, kind: &'static str) -> u64 {
        let stats = self.stats.lock().unwrap();
        stats
            .get(&(operation.to_owned(), kind))
            .copied()
            .unwrap_or(0)
    }

    /// Every operation the proxy has seen a request of, sorted.
    pub fn operations(&self) -> Vec<String> {
        let stats = self.stats.lock().unwrap();
        let mut operations: Vec<String> = stats.keys().map(|(op, _)| op.clone()).collect();
        operations.sort();
        operations.dedup();
        operations
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One HTTP/1.1 message: start line and headers as read, and the body.
struct Message {
    start: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Message {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The message with a new body; length headers and the body checksum
    /// DynamoDB adds (`x-amz-crc32`) are replaced or dropped.
    fn with_body(mut self, body: Vec<u8>) -> Self {
        self.headers.retain(|(n, _)| {
            !["content-length", "transfer-encoding", "x-amz-crc32"]
                .iter()
                .any(|h| n.eq_ignore_ascii_case(h))
        });
        self.body = body;
        self
    }

    async fn write(&self, out: &mut (impl AsyncWriteExt + Unpin)) -> std::io::Result<()> {
        let mut head = format!("{}\r\n", self.start);
        for (name, value) in &self.headers {
            if !name.eq_ignore_ascii_case("content-length")
                && !name.eq_ignore_ascii_case("transfer-encoding")
            {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
        }
        head.push_str(&format!("content-length: {}\r\n\r\n", self.body.len()));
        out.write_all(head.as_bytes()).await?;
        out.write_all(&self.body).await?;
        out.flush().await
    }
}

/// Reads one message; `None` at a clean end of the connection.
async fn read_message(
    input: &mut BufReader<impl AsyncReadExt + Unpin>,
) -> std::io::Result<Option<Message>> {
    let mut start = String::new();
    if input.read_line(&mut start).await? == 0 {
        return Ok(None);
    }
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        input.read_line(&mut line).await?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    let mut message = Message {
        start: start.trim_end().to_owned(),
        headers,
        body: Vec::new(),
    };
    if message
        .header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        loop {
            let mut size = String::new();
            input.read_line(&mut size).await?;
            let size = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
            let mut chunk = vec![0; size + 2];
            input.read_exact(&mut chunk).await?;
            if size == 0 {
                break;
            }
            message.body.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(length) = message.header("content-length") {
        let length = length
            .parse()
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        message.body = vec![0; length];
        input.read_exact(&mut message.body).await?;
    }
    Ok(Some(message))
}

async fn serve(socket: TcpStream, shared: Arc<Shared>) {
    let (read, mut write) = socket.into_split();
    let mut read = BufReader::new(read);
    while let Ok(Some(request)) = read_message(&mut read).await {
        let operation = request
            .header("x-amz-target")
            .and_then(|t| t.rsplit('.').next())
            .unwrap_or("")
            .to_owned();
        let fault = {
            let mut seen = shared.seen.lock().unwrap();
            let count = seen.entry(operation.clone()).or_default();
            let number = *count;
            *count += 1;
            (shared.policy)(&operation, number, &mut shared.random.lock().unwrap())
        };
        let response = match fault {
            Fault::Forward => forward(&shared, request).await,
            Fault::Throttle => Ok(throttled()),
            Fault::DropResponse => {
                let _ = forward(&shared, request).await;
                record(&shared, &operation, "drop");
                return;
            }
            Fault::Unprocess(fraction) => unprocess(&shared, &operation, request, fraction).await,
        };
        let kind = match fault {
            Fault::Throttle => "throttle",
            Fault::Unprocess(_) => "unprocess",
            _ => "forward",
        };
        record(&shared, &operation, kind);
        match response {
            Ok(response) => {
                if response.write(&mut write).await.is_err() {
                    return;
                }
            }
            Err(_) => return,
        }
    }
}

fn record(shared: &Shared, operation: &str, kind: &'static str) {
    *shared
        .stats
        .lock()
        .unwrap()
        .entry((operation.to_owned(), kind))
        .or_default() += 1;
}

async fn forward(shared: &Shared, request: Message) -> std::io::Result<Message> {
    let mut upstream = TcpStream::connect(&shared.upstream).await?;
    request.write(&mut upstream).await?;
    let mut reader = BufReader::new(upstream);
    read_message(&mut reader)
        .await?
        .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "no response"))
}

fn throttled() -> Message {
    let body = json!({
        "__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException",
        "message": "Rate of requests exceeds the allowed throughput (injected by the test proxy)",
    });
    Message {
        start: "HTTP/1.1 400 Bad Request".to_owned(),
        headers: vec![(
            "content-type".to_owned(),
            "application/x-amz-json-1.0".to_owned(),
        )],
        body: body.to_string().into_bytes(),
    }
}

/// Forwards part of a batch and reports the rest as unprocessed.
async fn unprocess(
    shared: &Shared,
    operation: &str,
    request: Message,
    fraction: f64,
) -> std::io::Result<Message> {
    let (list_of, unprocessed_field) = match operation {
        "BatchWriteItem" => (None, "UnprocessedItems"),
        "BatchGetItem" => (Some("Keys"), "UnprocessedKeys"),
        _ => return forward(shared, request).await,
    };
    let mut body: Value = serde_json::from_slice(&request.body)?;
    let mut withheld = Map::new();
    if let Some(Value::Object(tables)) = body.get_mut("RequestItems") {
        for (table, entry) in tables.iter_mut() {
            let list = match list_of {
                None => entry.as_array_mut(),
                Some(field) => entry.get_mut(field).and_then(Value::as_array_mut),
            };
            let Some(list) = list else { continue };
            let mut kept = Vec::new();
            let mut held = Vec::new();
            for element in list.drain(..) {
                if shared.random.lock().unwrap().next_f64() < fraction {
                    held.push(element);
                } else {
                    kept.push(element);
                }
            }
            *list = kept;
            if !held.is_empty() {
                let held = match list_of {
                    None => Value::Array(held),
                    Some(field) => {
                        let mut copy = entry.clone();
                        copy[field] = Value::Array(held);
                        copy
                    }
                };
                withheld.insert(table.clone(), held);
            }
        }
        tables.retain(|_, entry| {
            let list = match list_of {
                None => entry.as_array(),
                Some(field) => entry.get(field).and_then(Value::as_array),
            };
            list.is_some_and(|l| !l.is_empty())
        });
    }
    let forwarded_anything = body["RequestItems"]
        .as_object()
        .is_some_and(|t| !t.is_empty());
    let mut response = if forwarded_anything {
        let new_body = serde_json::to_vec(&body)?;
        forward(shared, request.with_body(new_body)).await?
    } else {
        Message {
            start: "HTTP/1.1 200 OK".to_owned(),
            headers: vec![(
                "content-type".to_owned(),
                "application/x-amz-json-1.0".to_owned(),
            )],
            body: b"{}".to_vec(),
        }
    };
    if !response.start.contains(" 200 ") {
        return Ok(response);
    }
    let mut answer: Value = serde_json::from_slice(&response.body)?;
    let unprocessed = answer
        .as_object_mut()
        .map(|o| o.entry(unprocessed_field).or_insert_with(|| json!({})));
    if let Some(Value::Object(unprocessed)) = unprocessed {
        for (table, held) in withheld {
            match (unprocessed.get_mut(&table), held) {
                (Some(Value::Array(existing)), Value::Array(more)) => existing.extend(more),
                (Some(existing), Value::Object(more)) => {
                    if let (Some(Value::Array(keys)), Some(Value::Array(more_keys))) =
                        (existing.get_mut("Keys"), more.get("Keys"))
                    {
                        keys.extend(more_keys.iter().cloned());
                    }
                }
                (_, held) => {
                    unprocessed.insert(table, held);
                }
            }
        }
    }
    let body = serde_json::to_vec(&answer)?;
    response = response.with_body(body);
    Ok(response)
}
