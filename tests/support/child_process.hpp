#pragma once
// The mcp-mirror binary as a child process with its stdout and stderr piped back, for the few
// tests that need a real process (signals, exit codes, resource limits). Lines are awaited with
// poll() under a deadline.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace mirror::test {

struct spawn_options {
  // RLIMIT_FSIZE for the child, with SIGXFSZ ignored: every write past this many bytes of any
  // file fails with EFBIG, which SQLite reports as SQLITE_FULL. A full disk without root.
  std::optional<rlim_t> max_file_bytes;
};

// The whole output and exit status of a child that ran to its end.
struct finished_child {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out, err;
};

class child_process {
 public:
  explicit child_process(std::vector<std::string> args, spawn_options options = {}) {
    // O_CLOEXEC: a test may spawn from several threads at once, and a child that inherited
    // another child's pipe would hold its write end open, so that one's finish() never saw EOF.
    // dup2 onto 1 and 2 clears the flag on the copies the child keeps.
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    if (options.max_file_bytes) {
      spawn_limited(args, out, err, *options.max_file_bytes);
      return;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addclose(&actions, err[0]);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    close(err[1]);
    fds_[0] = out[0];
    fds_[1] = err[0];
    if (rc != 0) throw std::runtime_error("posix_spawn failed");
  }
  ~child_process() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(fds_[0]);
    close(fds_[1]);
  }

  // Only while the child is not reaped: after wait() pid_ is -1, and kill(-1) would signal
  // every process this user may signal.
  void signal(int signo) {
    if (pid_ > 0) kill(pid_, signo);
  }
  pid_t pid() const { return pid_; }

  // Changes the child's RLIMIT_FSIZE while it runs (nullopt: unlimited), e.g. "space is back".
  // Only the soft limit moves, so lifting it needs no privilege.
  void set_max_file_bytes(std::optional<rlim_t> bytes) {
    rlimit limit{};
    if (prlimit(pid_, RLIMIT_FSIZE, nullptr, &limit) != 0) throw std::runtime_error("prlimit failed");
    limit.rlim_cur = bytes.value_or(limit.rlim_max);
    if (prlimit(pid_, RLIMIT_FSIZE, &limit, nullptr) != 0) throw std::runtime_error("prlimit failed");
  }

  // Reads stdout and stderr to their end, then reaps the child. Throws when it has not ended
  // within `deadline` (the child is then killed by the destructor).
  finished_child finish(std::chrono::milliseconds deadline = std::chrono::seconds(30)) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    bool open[2] = {true, true};
    while (open[0] || open[1]) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) throw std::runtime_error("child did not finish in time");
      pollfd p[2] = {{open[0] ? fds_[0] : -1, POLLIN, 0}, {open[1] ? fds_[1] : -1, POLLIN, 0}};
      if (poll(p, 2, static_cast<int>(left.count())) <= 0) continue;
      for (int i = 0; i < 2; ++i) {
        if (!open[i] || !(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        char chunk[4096];
        const auto n = read(fds_[i], chunk, sizeof chunk);
        if (n <= 0) open[i] = false;
        else buffers_[i].append(chunk, static_cast<std::size_t>(n));
      }
    }
    finished_child f;
    f.out = std::move(buffers_[0]);
    f.err = std::move(buffers_[1]);
    f.exit_code = wait();
    return f;
  }

  // The next line of stdout (0) or stderr (1) containing `needle`; nullopt when the deadline
  // passes or the stream ends first. Lines read past are kept in `seen`.
  std::optional<std::string> await_line(int stream, const std::string& needle,
                                        std::chrono::milliseconds deadline = std::chrono::seconds(30)) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    auto& buffer = buffers_[stream];
    for (;;) {
      for (auto nl = buffer.find('\n'); nl != std::string::npos; nl = buffer.find('\n')) {
        std::string line = buffer.substr(0, nl);
        buffer.erase(0, nl + 1);
        seen.push_back(line);
        if (line.find(needle) != std::string::npos) return line;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      pollfd p{fds_[stream], POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char chunk[4096];
      const auto n = read(fds_[stream], chunk, sizeof chunk);
      if (n <= 0) return std::nullopt;
      buffer.append(chunk, static_cast<std::size_t>(n));
    }
  }

  // Waits for the exit; the exit status (or -1 when killed by a signal).
  int wait() {
    if (pid_ <= 0) return -1;  // reaped already: waitpid(-1) would reap some other child
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::vector<std::string> seen;

 private:
  // fork + exec, because posix_spawn cannot set a resource limit. Only async-signal-safe calls
  // between the two (the test process has threads).
  void spawn_limited(std::vector<std::string>& args, int out[2], int err[2], rlim_t max_file_bytes) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    rlimit limit{};
    getrlimit(RLIMIT_FSIZE, &limit);
    limit.rlim_cur = max_file_bytes;  // the soft limit: set_max_file_bytes can lift it again
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      dup2(err[1], 2);
      close(out[0]);
      close(err[0]);
      struct sigaction ignore {};
      ignore.sa_handler = SIG_IGN;
      sigaction(SIGXFSZ, &ignore, nullptr);  // kept across exec: EFBIG instead of a core dump
      setrlimit(RLIMIT_FSIZE, &limit);
      execve(argv[0], argv.data(), environ);
      _exit(127);
    }
    close(out[1]);
    close(err[1]);
    fds_[0] = out[0];
    fds_[1] = err[0];
    if (pid_ < 0) throw std::runtime_error("fork failed");
  }

  pid_t pid_ = -1;
  int fds_[2] = {-1, -1};
  std::string buffers_[2];
};

}  // namespace mirror::test
