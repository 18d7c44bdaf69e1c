//! The man page, hygiene(1), rendered by clap_mangen from the command-line definition, so it
//! cannot drift from the flags.
//!
//! clap_mangen lays a program out as one page per subcommand (hygiene-check(1), …) that the
//! main page only lists. hygiene keeps one page instead: one file to install
//! (`hygiene man > …/man1/hygiene.1`), and `man hygiene` shows every option of every command.
//! After the main page's sections, each command gets a section of its own (`HYGIENE CHECK`)
//! with its synopsis, description, options and closing notes as subsections, made from the
//! sections clap_mangen renders for that command.

use std::io::{self, Write};

use clap::CommandFactory;
use clap_mangen::Man;
use clap_mangen::roff::Roff;

use crate::cli::Cli;

/// Writes the roff source of hygiene(1).
pub fn write(out: &mut dyn Write) -> io::Result<()> {
    // No `help` subcommand: it would be a section saying what `--help` says.
    let mut command = Cli::command().disable_help_subcommand(true);
    command.build();
    let page = Man::new(command.clone());
    page.render_title(out)?;
    page.render_name_section(out)?;
    page.render_synopsis_section(out)?;
    page.render_description_section(out)?;
    page.render_options_section(out)?;
    for subcommand in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        write_command(subcommand, out)?;
    }
    page.render_version_section(out)
}

/// One command's section: its name as the heading, clap_mangen's sections for it below.
fn write_command(command: &clap::Command, out: &mut dyn Write) -> io::Result<()> {
    let name = command.get_bin_name().unwrap_or_else(|| command.get_name());
    Roff::new()
        .control("SH", [name.to_uppercase().as_str()])
        .to_writer(out)?;
    let page = Man::new(command.clone());
    subsection("Synopsis", |w| page.render_synopsis_section(w), out)?;
    subsection("Description", |w| page.render_description_section(w), out)?;
    if command.get_arguments().any(|arg| !arg.is_hide_set()) {
        subsection("Options", |w| page.render_options_section(w), out)?;
    }
    if command.get_after_help().is_some() {
        // clap_mangen calls it EXTRA; hygiene's closing notes say what they are about.
        subsection("Notes", |w| page.render_extra_section(w), out)?;
    }
    Ok(())
}

/// Writes a section clap_mangen renders as a subsection titled `title`: its `.SH` heading line
/// is replaced by `.SS title` (the roff preamble clap_mangen puts before it stays). Options
/// under help headings would start further `.SH` sections; hygiene's commands use none.
fn subsection(
    title: &str,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut section = Vec::new();
    render(&mut section)?;
    let section = String::from_utf8_lossy(&section);
    let mut heading = Some(Roff::new().control("SS", [title]).to_roff());
    for line in section.split_inclusive('\n') {
        if line.starts_with(".SH ")
            && let Some(heading) = heading.take()
        {
            out.write_all(heading.as_bytes())?;
        } else {
            out.write_all(line.as_bytes())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> String {
        let mut out = Vec::new();
        write(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_command_has_a_section_with_subsections() {
        let page = page();
        let sections: Vec<&str> = page
            .lines()
            .filter_map(|line| line.strip_prefix(".SH "))
            .collect();
        assert_eq!(
            sections,
            [
                "NAME",
                "SYNOPSIS",
                "DESCRIPTION",
                "OPTIONS",
                "\"HYGIENE CHECK\"",
                "\"HYGIENE RULES\"",
                "\"HYGIENE EXPLAIN\"",
                "\"HYGIENE INIT\"",
                "\"HYGIENE CONFIG\"",
                "\"HYGIENE COMPLETIONS\"",
                "\"HYGIENE MAN\"",
                "VERSION",
            ]
        );
        let check = page.split(".SH \"HYGIENE CHECK\"").nth(1).unwrap();
        let check = check.split(".SH ").next().unwrap();
        let subsections: Vec<&str> = check
            .lines()
            .filter_map(|line| line.strip_prefix(".SS "))
            .collect();
        assert_eq!(subsections, ["Synopsis", "Description", "Options", "Notes"]);
    }
}
