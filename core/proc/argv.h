#pragma once
// A process's command line, kept as the kernel keeps it: each word followed by a NUL, all in
// one string. One allocation a process (none for a short one) where a vector of strings
// made one a word: at 10,000 processes those words were a third of `nsdebug ps`'s memory.
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace nsdebug {

class Argv {
 public:
  // Walks the words; each is a view into the Argv, valid while it lives unchanged.
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::string_view;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = std::string_view;
    Iterator() = default;
    explicit Iterator(const char* word) : word_(word) {}
    std::string_view operator*() const { return word_; }  // stops at the word's NUL
    Iterator& operator++() {
      word_ += std::char_traits<char>::length(word_) + 1;
      return *this;
    }
    Iterator operator++(int) {
      Iterator was = *this;
      ++*this;
      return was;
    }
    bool operator==(const Iterator&) const = default;

   private:
    const char* word_ = nullptr;
  };

  Argv() = default;
  Argv(std::initializer_list<std::string_view> words);
  explicit Argv(const std::vector<std::string>& words);
  // A NULL-terminated array of C strings, as libproc2's PIDS_CMDLINE_V gives it. Trailing
  // empty words are dropped: they are a title's NUL padding (an empty last argument, as in
  // `prog ""`, reads the same from /proc and is dropped too).
  static Argv from_strv(const char* const* strv);
  // /proc/PID/cmdline as the kernel gives it: words ended by NULs (a last word may lack its
  // NUL when a process rewrote its title). Every byte kept, a newline inside a word too;
  // trailing NUL padding makes no empty words; an empty text is an empty Argv.
  static Argv from_cmdline(std::string_view raw);

  // The read of /proc/PID/cmdline stopped at its limit: the words are the first ones and the
  // last of them may be cut. Said in ps --json ("argv_truncated"), never left silent.
  bool truncated() const { return truncated_; }
  void mark_truncated() { truncated_ = true; }

  void push_back(std::string_view word);  // word must hold no NUL

  bool empty() const { return count_ == 0; }
  std::size_t size() const { return count_; }
  std::string_view front() const { return *begin(); }
  std::string_view operator[](std::size_t i) const;  // walks from the first word
  Iterator begin() const { return Iterator(words_.data()); }
  Iterator end() const { return Iterator(words_.data() + words_.size()); }

  std::vector<std::string> to_vector() const;
  // The words separated by single spaces, appended to `out`: ps's COMMAND column.
  void append_joined(std::string& out) const;

  bool operator==(const Argv&) const = default;

 private:
  std::string words_;  // "word\0word\0"
  std::uint32_t count_ = 0;
  bool truncated_ = false;  // in count_'s padding: no bigger a process
};

}  // namespace nsdebug
