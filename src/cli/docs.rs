//! `proone-sync completions SHELL` and `proone-sync man`: generated from the same clap
//! definitions as the parser, so they never drift from it.

use clap::{Args, CommandFactory};

use super::{Cli, Exit};

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish, powershell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn completions(args: &CompletionsArgs) -> Exit {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "proone-sync", &mut out);
    match super::say::write_stdout(&out) {
        Ok(()) => Exit::Success,
        Err(e) => {
            eprintln!("proone-sync: cannot write the completions: {e}");
            Exit::Failed
        }
    }
}

/// The man page (roff) of the command and each subcommand, on stdout.
pub fn man() -> Exit {
    let cmd = Cli::command();
    let mut out = Vec::new();
    if clap_mangen::Man::new(cmd.clone()).render(&mut out).is_err() {
        return Exit::Failed;
    }
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("proone-sync-{}", sub.get_name());
        let sub = sub.clone().name(name);
        if clap_mangen::Man::new(sub).render(&mut out).is_err() {
            return Exit::Failed;
        }
    }
    match super::say::write_stdout(&out) {
        Ok(()) => Exit::Success,
        Err(e) => {
            eprintln!("proone-sync: cannot write the man page: {e}");
            Exit::Failed
        }
    }
}
