// Every command's options, parsed by the app main() builds: an option takes one value per use,
// so a word after it stays a positional. `kill -n PATTERN 1` once read 1 as a second pattern
// and selected every process whose command line held a 1.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <sstream>
#include <string_view>
#include <utility>
#include <string>
#include <vector>

#include "tools/command.h"

using nsdebug::cli::Context;

namespace {

// The real app with every callback taken away: parsing only, nothing runs.
// Thrown once parsing is complete, before node mode would enter a namespace and before any
// subcommand runs. (Clearing the subcommands' callbacks instead freed the options they own
// while CLI11 still wrote into them: ASan saw it.)
struct Parsed {};

std::unique_ptr<CLI::App> parse_only_app(Context& ctx) {
  auto app = std::make_unique<CLI::App>("nsdebug", "nsdebug");
  nsdebug::cli::build_app(*app, ctx);
  app->parse_complete_callback([] { throw Parsed{}; });
  return app;
}

void parse(CLI::App& app, int argc, const char* const* argv) {
  try {
    app.parse(argc, argv);
  } catch (const Parsed&) {
  }
}

std::string spelling(const CLI::Option& opt) {
  if (!opt.get_snames().empty()) return "-" + opt.get_snames().front();
  return "--" + opt.get_lnames().front();
}

// Flags and --help take no value.
bool is_flag(const CLI::Option& opt) {
  return opt.get_type_size() == 0 || opt.get_items_expected_max() == 0 ||
         opt.get_name() == "--help";
}

struct Case {
  std::string command, option;
  std::vector<std::string> values;  // given to the option, one use each
  std::vector<std::string> words;   // the positionals after it
};

// Parses "nsdebug COMMAND (OPTION VALUE)... WORD..." and checks where everything landed.
void check(const Case& c) {
  INFO("nsdebug " << c.command << " " << c.option << " ... " << c.words.size() << " words");
  Context ctx;
  auto app = parse_only_app(ctx);
  std::vector<std::string> args{"nsdebug", c.command};
  for (const auto& v : c.values) args.insert(args.end(), {c.option, v});
  args.insert(args.end(), c.words.begin(), c.words.end());
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  REQUIRE_NOTHROW(parse(*app, static_cast<int>(argv.size()), argv.data()));
  CLI::App* sub = app->get_subcommand(c.command);
  CHECK(sub->get_option(c.option)->results() == c.values);
  std::vector<std::string> positional;
  for (const CLI::Option* opt : sub->get_options())
    if (opt->get_positional())
      positional.insert(positional.end(), opt->results().begin(), opt->results().end());
  CHECK(positional == c.words);
}

// One word for each positional a command takes, enough for its required ones.
std::vector<std::string> words_for(const CLI::App& sub) {
  std::vector<std::string> words;
  for (const CLI::Option* opt : sub.get_options())
    if (opt->get_positional())
      for (int i = 0; i < std::max(1, opt->get_items_expected_min()); ++i)
        words.push_back("word" + std::to_string(words.size() + 1));
  return words;
}


// ---- the documentation's examples --------------------------------------------------------

std::filesystem::path source_path(const std::string& relative) {
  return std::filesystem::path(NSDEBUG_SOURCE_DIR) / relative;
}

std::string read_source(const std::string& relative) {
  std::ifstream in(source_path(relative));
  REQUIRE(in.is_open());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A shell line's words, as sh splits them: quotes group, a word starting with # begins a
// comment, | ends the command.
std::vector<std::string> shell_words(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (char c : line) {
    if (quote) {
      if (c == quote) quote = 0;
      else word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(std::exchange(word, {}));
      in_word = false;
    } else if ((c == '#' && !in_word) || c == '|') {
      break;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(word);
  return words;
}

// The arguments of the nsdebug command in `line` ("nsdebug ps -c x", "sudo nsdebug pods",
// "kubectl exec POD -- nsdebug ps"); nullopt when it runs none (kubectl nsdebug, a path).
std::optional<std::vector<std::string>> nsdebug_args(std::string_view line) {
  auto words = shell_words(line);
  for (std::size_t i = 0; i < words.size(); ++i)
    if (words[i] == "nsdebug" && (i == 0 || words[i - 1] == "sudo" || words[i - 1] == "--"))
      return std::vector<std::string>(words.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                                      words.end());
  return std::nullopt;
}

struct Example {
  std::vector<std::string> args;
  // false: a command named in prose (`nsdebug env` says...), which may leave out its operands
  bool complete = true;
};

// Every command in the README's indented code blocks and `inline code`.
std::vector<Example> readme_examples(const std::string& text) {
  std::vector<Example> found;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string_view> spans;
    bool block = line.starts_with("    ");
    if (block) {
      spans.push_back(line);
    } else {
      for (std::size_t at = line.find('`'), end; at != std::string::npos; at = line.find('`', end + 1)) {
        end = line.find('`', at + 1);
        if (end == std::string::npos) break;
        spans.push_back(std::string_view(line).substr(at + 1, end - at - 1));
      }
    }
    for (auto span : spans)
      if (auto args = nsdebug_args(span)) found.push_back({*args, block});
  }
  return found;
}

// Every command in a man page's EXAMPLES section ("\-" is roff's '-').
std::vector<Example> man_examples_of(const std::string& text) {
  std::vector<Example> found;
  std::istringstream in(text);
  bool examples = false;
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(".SH")) examples = line == ".SH EXAMPLES";
    if (!examples) continue;
    for (std::size_t at; (at = line.find("\\-")) != std::string::npos;) line.erase(at, 1);
    if (line.starts_with(".B ")) line.erase(0, 3);
    if (auto args = nsdebug_args(line)) found.push_back({*args});
  }
  return found;
}

// `nsdebug ARGS...` parses, and leaves no option unknown (kill keeps extras: "-HUP"). A
// command named in prose may leave out what it requires.
void check_parses(const Example& e) {
  std::string shown = "nsdebug";
  for (const auto& w : e.args) shown += " " + w;
  INFO(shown);
  Context ctx;
  auto app = parse_only_app(ctx);
  std::vector<const char*> argv{"nsdebug"};
  for (const auto& w : e.args) argv.push_back(w.c_str());
  try {
    parse(*app, static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::RequiredError&) {
    CHECK_FALSE(e.complete);
  } catch (const CLI::Error& bad) {
    FAIL(bad.what());
  }
  for (const CLI::App* sub : app->get_subcommands())
    for (const auto& extra : sub->remaining()) CHECK((extra == "--" || !extra.starts_with("--")));
}

}  // namespace

TEST_CASE("every option of every command takes one value: the positional after it stays one") {
  Context probe_ctx;
  auto probe = parse_only_app(probe_ctx);
  int checked = 0;
  for (CLI::App* sub : probe->get_subcommands([](CLI::App*) { return true; })) {
    auto words = words_for(*sub);
    for (const CLI::Option* opt : sub->get_options()) {
      if (opt->get_positional() || is_flag(*opt)) continue;
      // "1": a valid value for every option (numbers, names, columns, patterns).
      check({sub->get_name(), spelling(*opt), {"1"}, words});
      ++checked;
    }
  }
  CHECK(checked >= 8);  // ps -o --sort -c -u, kill -s -n -c --timeout, tail -n, tar -f
}

TEST_CASE("an option given twice keeps both values when it collects several") {
  Context probe_ctx;
  auto probe = parse_only_app(probe_ctx);
  int checked = 0;
  for (CLI::App* sub : probe->get_subcommands([](CLI::App*) { return true; })) {
    for (const CLI::Option* opt : sub->get_options()) {
      if (opt->get_positional() || is_flag(*opt) || opt->get_items_expected_max() <= 1) continue;
      check({sub->get_name(), spelling(*opt), {"1", "2"}, words_for(*sub)});
      ++checked;
    }
  }
  CHECK(checked >= 5);  // ps -o -c -u, kill -n -c
}

TEST_CASE("the README's and the man pages' examples parse as written") {
  auto examples = readme_examples(read_source("README.md"));
  CHECK(examples.size() >= 25);
  int man_examples = 0;
  for (const auto& entry : std::filesystem::directory_iterator(source_path("man"))) {
    if (entry.path().extension() != ".1") continue;
    auto found = man_examples_of(read_source("man/" + entry.path().filename().string()));
    man_examples += static_cast<int>(found.size());
    examples.insert(examples.end(), found.begin(), found.end());
  }
  CHECK(man_examples >= 10);
  for (const auto& e : examples) check_parses(e);
}

TEST_CASE("main builds only the subcommands its arguments name, and all of them otherwise") {
  auto built = [](std::vector<const char*> args) {
    Context ctx;
    CLI::App app("nsdebug", "nsdebug");
    nsdebug::cli::build_app_for(app, ctx, args);
    std::vector<std::string> names;
    for (const auto* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    return names;
  };
  CHECK(built({"ps", "-o", "pid"}) == std::vector<std::string>{"ps"});
  // A command's name given as a value: one more subcommand, and parsing still works.
  CHECK(built({"--pod", "cat", "ps"}) == std::vector<std::string>{"ps", "cat"});
  auto all = nsdebug::cli::command_table().size();
  CHECK(built({}).size() == all);
  CHECK(built({"--help"}).size() == all);
  CHECK(built({"pss"}).size() == all);  // a typo: the error lists every command
  // (Parsing "--pod cat ps" here would mean replacing node mode's parse-complete callback,
  // which owns --pod's storage: the e2e tests run every command line through main.)
}
