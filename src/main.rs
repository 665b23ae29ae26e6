//! The `wirewatch` binary: a thin shell over [`wirewatch::cli`].

fn main() -> std::process::ExitCode {
    wirewatch::cli::main()
}
