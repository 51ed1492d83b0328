%% SPDX-License-Identifier: ISC
%% @doc The nook API: Linux system calls made one by one in a tree of OS processes, each
%% standing as an Erlang process (a task). Names, arities, return values and messages follow
%% prx, so code written for prx runs on nook.
%%
%% Messages to a task's owner (or the process set with stdio/2):
%% `{stdout, Task, Bin}', `{stderr, Task, Bin}', `{exit_status, Task, Int}',
%% `{termsig, Task, Sig}', `{signal, Task, Sig, Info}', `{stdin, Task, {error, Reason}}'.
-module(nook).

-export([
    fork/0, fork/1, clone/2, filter/2, filter/3, execve/3, execve/4, execvp/2, execvp/3,
    fexecve/4, reexec/1, reexec/3, replace_process_image/1, replace_process_image/3, stdin/2,
    stdin_write/3, eof/1, eof/2, eof/3, stop/1, stop/2, pidof/1, parent/1, pipeline/1,
    execed/1, cpid/1, cpid/2, getcpid/2, getcpid/3, setcpid/3, setcpid/4,
    controlling_process/2, stdio/2, sudo/0, sudo/1, call/3, batch/2, prepare/3
]).
%% prx's helpers: run and collect, op lists, hooks run beside a task
-export([cmd/2, sh/2, task/3, task/4, atexit/2, drv/1]).
-export([
    chdir/2, clearenv/1, close/2, environ/1, exit/2, getcwd/1, getegid/1, getenv/2,
    geteuid/1, getgid/1, getopt/2, getpid/1, getppid/1, getuid/1, kill/3, open/3, open/4,
    read/3, setenv/4, setopt/3, sigaction/3, unsetenv/2, version/1, write/3
]).

%% namespaces and mounts
-export([chroot/2, gethostname/1, mount/6, mount/7, pivot_root/3, sethostname/2, setns/2, setns/3,
         umount/2, umount2/3, unshare/2]).
%% identity and credentials
-export([getgroups/1, getresgid/1, getresuid/1, setgid/2, setgroups/2, setresgid/4, setresuid/4, setuid/2]).
%% process attributes and limits
-export([getpgrp/1, getpriority/3, getrlimit/2, getsid/2, setpgid/3, setpriority/4, setrlimit/3, setsid/1]).
%% raw pointers, tracing and waiting
-export([fcntl/3, fcntl/4, ioctl/4, prctl/6, ptrace/5, setproctitle/2, waitpid/3]).
-export_type([cstruct/0]).
%% files and descriptors
-export([chmod/3, chown/4, dup2/3, fstat/2, link/3, lseek/4, mkdir/3, mkfifo/3, readdir/2,
         rename/3, rmdir/2, select/5, socket/4, symlink/3, unlink/2]).
%% system call filtering (seccomp)
-export([seccomp/4, seccomp_compile/2, seccomp_load/2, seccomp_syscall_name/3]).
%% process descriptors
-export([pidfd_open/3, pidfd_send_signal/4]).
%% constants by name, as prx's call/3 asks them
-export([clone_constant/2, fcntl_constant/2, file_constant/2, ioctl_constant/2, mount_constant/2,
         prctl_constant/2, ptrace_constant/2, rlimit_constant/2, seccomp_constant/2,
         signal_constant/2, syscall_constant/2]).
%% terminals
-export([pty/1, pty/3, winsize/3, winsize/4]).
%% policies decided late or live
-export([landlock_create_ruleset/3, landlock_add_rule/5, landlock_restrict_self/3,
         seccomp_load_notify/2, seccomp_notif_send/4]).

-export_type([filter_spec/0, task/0, pid_t/0, posix/0, constant/0, uint32_t/0, int32_t/0, cpid/0, event/0]).

-type task() :: pid().
-type filter_spec() :: [atom()] | {allow, [atom()]} | {deny, [atom()]}.
-type pid_t() :: integer().
-type uint32_t() :: 0..16#ffffffff.
-type int32_t() :: -16#80000000..16#7fffffff.
-type posix() :: atom().
%% A named constant: lowercase or uppercase atom, or its integer value.
-type constant() :: atom() | integer().
-type cpid() :: #{pid := pid_t(), exec := boolean(), flowcontrol := int32_t(),
                  flowcontrol_bytes := integer(),
                  signaloneof := int32_t(), fdctl := int32_t(), stdin := int32_t(),
                  stdout := int32_t(), stderr := int32_t()}.
-type event() ::
    {stdout, task(), binary()} | {stderr, task(), binary()} | {exit_status, task(), integer()}
    | {termsig, task(), atom()} | {signal, task(), atom() | integer(), binary()}
    | {stdin, task(), {error, term()}}.

%% ---- tasks ----

%% @doc Start a new port: its root task, linked to the caller, who owns it. A port that
%% cannot start is `{error, Posix}', as in prx: enoent (no such program, or no sudo),
%% eacces, eagain (it ended before it was ready), etimedout, eproto (a priv/nook of another
%% build: nook_port:start/1 says which).
-spec fork() -> {ok, task()} | {error, posix()}.
fork() ->
    case nook_task:start_root(nook_port:root_opts()) of
        {ok, _} = Ok -> Ok;
        {error, Reason} -> {error, start_posix(Reason)}
    end.

start_posix({exec_not_found, _}) -> enoent;
start_posix({no_port_program, _}) -> enoent;
start_posix(hello_timeout) -> etimedout;
start_posix({call_table_mismatch, _}) -> eproto;
start_posix({bad_hello, _}) -> eproto;
start_posix(Posix) when Posix =:= enoent; Posix =:= eacces; Posix =:= enomem;
                        Posix =:= emfile; Posix =:= enfile; Posix =:= enoexec ->
    Posix;
start_posix(_) -> eagain.

%% @doc fork(2) in Task's process: a new task in call mode, owned by the caller.
-spec fork(task()) -> {ok, task()} | {error, posix()}.
fork(Task) -> nook_task:request(Task, fork).

%% @doc clone(2) in Task's process with namespace flags (clone_newuser, clone_newns,
%% clone_newpid, clone_newuts, clone_newipc, clone_newnet, clone_newcgroup, ...): a new task.
-spec clone(task(), constant() | [constant()]) -> {ok, task()} | {error, posix()}.
clone(Task, Flags) -> nook_task:request(Task, {clone, Flags}).

%% @doc Refuse calls in Task's process and in the children it forks afterwards.
-spec filter(task(), filter_spec()) -> ok.
filter(Task, Calls) -> filter(Task, Calls, Calls).

%% @doc Refuse calls in Task's process (Self) and in children forked afterwards
%% (Children). `[Call]' or `{deny, [Call]}' refuses those calls, `{allow, [Call]}' every other
%% one, `[]' changes nothing. Filters only ever tighten; a refused call raises undef.
-spec filter(task(), filter_spec(), filter_spec()) -> ok.
filter(Task, Self, Children) ->
    call(Task, filter, [nook_filter:bitmap(Self), nook_filter:bitmap(Children)]).

%% @doc execvp/3 with argv[0] as the program: `execvp(Task, ["/bin/ls", "-l"])'.
-spec execvp(task(), [iodata(), ...]) -> ok | {error, posix()}.
execvp(Task, [Arg0 | _] = Argv) -> execvp(Task, Arg0, Argv).

%% @doc execvp(3): Task becomes the program; its output arrives as messages.
-spec execvp(task(), iodata(), [iodata()]) -> ok | {error, posix()}.
execvp(Task, Arg0, Argv) -> nook_task:call(Task, execvp, [Arg0, Argv]).

%% @doc execve/4 with argv[0] as the path: Env is the whole environment, `["K=V"]'.
-spec execve(task(), [iodata(), ...], [iodata()]) -> ok | {error, posix()}.
execve(Task, [Arg0 | _] = Argv, Env) -> execve(Task, Arg0, Argv, Env).

%% @doc execve(2) with argv[0] free to differ from the path.
-spec execve(task(), iodata(), [iodata()], [iodata()]) -> ok | {error, posix()}.
execve(Task, Path, Argv, Env) -> nook_task:call(Task, execve, [Path, Argv, Env]).

%% @doc fexecve(3): execve(2) of the program open at FD. Every fd but 0-2 is close-on-exec
%% by then, FD too: a script, which its interpreter reopens through /proc/self/fd, gives
%% {error, enoent}.
-spec fexecve(task(), int32_t(), [iodata()], [iodata()]) -> ok | {error, posix()}.
fexecve(Task, FD, Argv, Env) -> nook_task:call(Task, fexecve, [FD, Argv, Env]).

%% @doc Execute priv/nook again in Task's process, with its environment: the same pid, call
%% filters, options and signal settings, a fresh memory layout (prx's replace_process_image).
%% Not with children: {error, eacces}.
-spec reexec(task()) -> ok | {error, posix()}.
reexec(Task) -> reexec(Task, [], environ(Task)).

%% @doc reexec/1 from another copy of priv/nook, a path (the first element of Argv, the rest
%% unused: nook passes its own arguments) or an fd (`{fd, FD, Argv}'), with Env.
-spec reexec(task(), [] | [iodata()] | {fd, int32_t(), [iodata()]}, [iodata()]) ->
    ok | {error, posix()}.
reexec(Task, {fd, FD, _Argv}, Env) -> nook_task:call(Task, reexec, [FD, Env]);
reexec(Task, [Path | _], Env) -> nook_task:call(Task, reexec, [Path, Env]);
reexec(Task, [], Env) -> nook_task:call(Task, reexec, [[], Env]);
reexec(Task, Program, Env) -> erlang:error(badarg, [Task, Program, Env]).

%% @doc prx's name for reexec/1.
-spec replace_process_image(task()) -> ok | {error, posix()}.
replace_process_image(Task) -> reexec(Task).

%% @doc prx's name for reexec/3.
-spec replace_process_image(task(), [] | [iodata()] | {fd, int32_t(), [iodata()]}, [iodata()]) ->
    ok | {error, posix()}.
replace_process_image(Task, Program, Env) -> reexec(Task, Program, Env).

%% @doc Write to the task's stdin (its program's, once exec'd). Never blocks: as in prx, what
%% the pipe cannot take at once is dropped and reported, `{stdin, Task, {error, {eagain,
%% Written}}}'. stdin_write/3, nook_stream's, queues instead (setcpid/3's stdin_queue).
-spec stdin(task(), iodata()) -> ok.
stdin(Task, Data) ->
    %% Checked here: data that is no iodata would crash the task, not the caller.
    Bin = try iolist_to_binary(Data)
          catch error:badarg -> erlang:error(badarg, [Task, Data])
          end,
    nook_task:cast(Task, {stdin, Bin}).

%% @doc Close the task's stdin, at once (a queued stdin: once what waits is written).
-spec eof(task()) -> ok | {error, posix()}.
eof(Task) -> eof(Task, stdin).

%% @doc eof(Task, stdin | stdout | stderr) closes that pipe of Task; eof(Task, Child)
%% closes the stdin of Task's child.
-spec eof(task(), stdin | stdout | stderr | task() | pid_t()) -> ok | {error, posix()}.
eof(Task, Which) when Which =:= stdin; Which =:= stdout; Which =:= stderr ->
    %% The parent's process answers: the task may end first, its program done once its stdin
    %% is closed (cat). Ended during the call, it has no pipe left open either.
    try nook_task:request(Task, {via_parent, eof, [Which], {error, ebadf}})
    catch exit:{normal, _} -> ok
    end;
eof(Task, Child) ->
    eof(Task, Child, stdin).

%% @doc Close the stdin, stdout or stderr pipe of Task's child (a task or its OS pid).
-spec eof(task(), task() | pid_t(), stdin | stdout | stderr) -> ok | {error, posix()}.
eof(Task, Child, Which) -> call_on_child(Task, Child, eof, [Which], {error, esrch}).

%% @doc Queue Data for the stdin of Task's child as far as there is room: how much was
%% taken. Unlike stdin/2 the caller learns it; when some was refused, `{stdin, Child, ready}'
%% follows once the program has read enough. Not in prx.
-spec stdin_write(task(), task() | pid_t(), iodata()) ->
    {ok, non_neg_integer()} | {error, posix()}.
stdin_write(Task, Child, Data) -> call_on_child(Task, Child, stdin_write, [Data], {error, esrch}).

%% @doc Stop the task: its OS process is killed and reaped, and so is everything below it.
-spec stop(task()) -> ok.
stop(Task) ->
    ok = nook_task:check(Task),
    catch gen_statem:stop(Task),
    ok.

%% @doc SIGKILL Task's child (and the process group it leads): what stop/1 asks of a task's
%% parent, the task itself left to learn of the exit. No call filter refuses it. Not in prx.
-spec stop(task(), task() | pid_t()) -> ok | {error, posix()}.
stop(Task, Child) -> call_on_child(Task, Child, stop, [], {error, esrch}).

%% @doc The task's OS pid (as its parent sees it), or noproc.
-spec pidof(task()) -> pid_t() | noproc.
pidof(Task) -> request_or(Task, pidof, noproc).

%% @doc The task whose process forked or cloned Task's; noproc for a root task or one
%% that is gone.
-spec parent(task()) -> task() | noproc.
parent(Task) -> request_or(Task, parent, noproc).

%% @doc The OS pids from the root's child down to the task; [] for the root.
-spec pipeline(task()) -> [pid_t()].
pipeline(Task) -> nook_task:request(Task, pipeline).

%% @doc Whether Task has exec'd: true once its process runs a program and takes no calls.
-spec execed(task()) -> boolean().
execed(Task) -> nook_task:request(Task, execed).

%% @doc The children of Task as its process tracks them.
-spec cpid(task()) -> [cpid()].
cpid(Task) -> call(Task, cpid, []).

%% @doc What Task's process tracks of one child (a task, an OS pid or a cpid map), or error
%% if it has no such child.
-spec cpid(task(), task() | pid_t()) -> cpid() | error.
cpid(Task, Child) ->
    Pid = child_os_pid(Child),
    case [C || #{pid := P} = C <- cpid(Task), P =:= Pid] of
        [C] -> C;
        [] -> error
    end.

%% @doc An option the parent keeps about Task: flowcontrol, signaloneof, exec.
-spec getcpid(task(), atom()) -> int32_t() | false.
getcpid(Task, Opt) -> request_or(Task, {via_parent, getcpid, [Opt], false}, false).

%% @doc An option Task's process keeps about its child (a task or an OS pid): flowcontrol,
%% flowcontrol_bytes, signaloneof, exec, ...; false if there is no such child.
-spec getcpid(task(), task() | pid_t(), atom()) -> int32_t() | false.
getcpid(Task, Child, Opt) -> call_on_child(Task, Child, getcpid, [Opt], false).

%% @doc Set an option the parent keeps about Task (flowcontrol re-arms output reads).
-spec setcpid(task(), atom(), int32_t()) -> boolean().
setcpid(Task, Opt, Val) -> request_or(Task, {via_parent, setcpid, [Opt, Val], false}, false).

%% @doc Set an option Task's process keeps about its child; true if it was set.
-spec setcpid(task(), task() | cpid() | pid_t(), atom(), int32_t()) -> boolean().
setcpid(Task, Child, Opt, Val) -> call_on_child(Task, Child, setcpid, [Opt, Val], false).

%% @doc Hand the task (calls and output) to another process.
-spec controlling_process(task(), pid()) -> ok | {error, badarg}.
controlling_process(Task, Pid) -> nook_task:request(Task, {controlling_process, Pid}).

%% @doc Send the task's output and exit messages to another process.
-spec stdio(task(), pid()) -> ok | {error, badarg}.
stdio(Task, Pid) -> nook_task:request(Task, {stdio, Pid}).

%% @doc Have N trees of Behaviour with Config ready ahead of time (nook_pool): a start with
%% that config is then one request, exec. Returns once they are ready.
-spec prepare(module(), list() | map(), non_neg_integer()) -> ok | {error, term()}.
prepare(Behaviour, Config, N) -> nook_pool:prepare(Behaviour, Config, N).

%% @doc Start later ports with sudo -n.
-spec sudo() -> ok.
sudo() -> sudo("sudo -n").

%% @doc Start later ports under Exec, a command and its arguments ("" for none).
-spec sudo(unicode:chardata()) -> ok.
sudo(Exec) ->
    case unicode:characters_to_list(Exec) of
        Command when is_list(Command) -> application:set_env(nook, exec, Command);
        _ -> erlang:error(badarg, [Exec])
    end.

%% @doc Any call from c_src/calls.def by name, with its arguments.
-spec call(task(), atom(), [term()]) -> term().
call(Task, Call, Args) -> nook_task:call(Task, Call, Args).

%% @doc Calls run one after the other in Task's process, in one round trip: `[{Call, Args}]'
%% as for call/3, `nook_op:result(Back)' standing for what an earlier one returned as
%% `{ok, N}'. `{ok, Results}' in order, or the first that failed as nook_op:run/2 reports it
%% (nook_op:batch/2). Not in prx.
-spec batch(task(), [nook_op:op()]) -> {ok, [term()]} | {error, nook_op:failure()}.
batch(Task, Ops) -> nook_op:batch(Task, Ops).

%% A task request whose answer is IfGone once the task is gone.
request_or(Task, Request, IfGone) ->
    try nook_task:request(Task, Request)
    catch exit:_ -> IfGone
    end.

%% A call about Task's child, which takes its OS pid first; IfGone for a task that is gone.
call_on_child(Task, Child, Call, Args, IfGone) ->
    case child_os_pid(Child) of
        noproc -> IfGone;
        Pid -> call(Task, Call, [Pid | Args])
    end.

%% @doc fork(Task), then execvp(Argv) in the child; its stdout and stderr as they came, once
%% it has exited. Task ignores SIGINT and SIGQUIT meanwhile, as system(3) does.
-spec cmd(task(), [iodata(), ...]) -> binary() | {error, posix()}.
cmd(Task, Argv) -> nook_cmd:cmd(Task, Argv).

%% @doc cmd/2 of `/bin/sh -c Command'.
-spec sh(task(), iodata()) -> binary() | {error, posix()}.
sh(Task, Command) -> nook_cmd:sh(Task, Command).

%% @doc fork(Task), then run Ops on the child (see nook_op); the child, or the error of the
%% op that failed, the child stopped.
-spec task(task(), [nook_op:op()], term()) -> {ok, task()} | {error, term()}.
task(Task, Ops, State) -> nook_op:task(Task, Ops, State, []).

%% @doc task/3 with `{init, fun(Parent) -> {ok, Child} | {error, _}}' in place of fork/1 and
%% `{terminate, fun(Parent, Child) -> _}' in place of stop/1.
-spec task(task(), [nook_op:op()], term(), list()) -> {ok, task()} | {error, term()}.
task(Task, Ops, State, Config) -> nook_op:task(Task, Ops, State, Config).

%% @doc Fun(Drv, Pipeline, Cpid) runs each time a child task of Task stops, in a process of
%% its own (prx runs it in Task): Drv and Pipeline are Task's for nook_port:call/4, Cpid the
%% child as cpid/1 listed it (fds -1: nook has closed them).
-spec atexit(task(), fun((pid(), [pid_t()], map()) -> term())) -> ok.
atexit(Task, Fun) when is_function(Fun, 3) -> nook_task:request(Task, {atexit, Fun});
atexit(Task, Fun) -> erlang:error(badarg, [Task, Fun]).

%% @doc The process that owns Task's port: what nook_port:call/4 takes.
-spec drv(task()) -> pid().
drv(Task) -> nook_task:request(Task, drv).

child_os_pid(Pid) when is_integer(Pid) -> Pid;
child_os_pid(#{pid := Pid}) -> Pid;
child_os_pid(Task) when is_pid(Task) -> pidof(Task);
child_os_pid(_) -> erlang:error(badarg).

%% ---- system calls ----

%% @doc chdir(2): change the working directory of Task's process.
-spec chdir(task(), iodata()) -> ok | {error, posix()}.
chdir(Task, Path) -> call(Task, chdir, [Path]).

%% @doc clearenv(3): empty the environment of Task's process.
-spec clearenv(task()) -> ok | {error, posix()}.
clearenv(Task) -> call(Task, clearenv, []).

%% @doc close(2) a file descriptor of Task's process (nook's own channels are refused:
%% `{error, ebadf}').
-spec close(task(), int32_t()) -> ok | {error, posix()}.
close(Task, FD) -> call(Task, close, [FD]).

%% @doc The environment of Task's process, as `<<"K=V">>' binaries.
-spec environ(task()) -> [binary()].
environ(Task) -> call(Task, environ, []).

%% @doc exit(3) in Task's process: ok, then `{exit_status, Task, Status}'.
-spec exit(task(), int32_t()) -> ok.
exit(Task, Status) -> call(Task, exit, [Status]).

%% @doc getcwd(3): the working directory of Task's process.
-spec getcwd(task()) -> {ok, binary()} | {error, posix()}.
getcwd(Task) -> call(Task, getcwd, []).

%% @doc getegid(2): the effective gid of Task's process.
-spec getegid(task()) -> uint32_t().
getegid(Task) -> call(Task, getegid, []).

%% @doc getenv(3): the value of Name in Task's environment, or false.
-spec getenv(task(), iodata()) -> binary() | false.
getenv(Task, Name) -> call(Task, getenv, [Name]).

%% @doc geteuid(2): the effective uid of Task's process.
-spec geteuid(task()) -> uint32_t().
geteuid(Task) -> call(Task, geteuid, []).

%% @doc getgid(2): the real gid of Task's process.
-spec getgid(task()) -> uint32_t().
getgid(Task) -> call(Task, getgid, []).

%% @doc Options of Task's process: maxchild, maxforkdepth, exit_status, termsig,
%% flowcontrol, signaloneof.
-spec getopt(task(), atom()) -> int32_t() | false.
getopt(Task, Opt) -> call(Task, getopt, [Opt]).

%% @doc getpid(2): the OS pid of Task's process, as its own PID namespace numbers it.
-spec getpid(task()) -> pid_t().
getpid(Task) -> call(Task, getpid, []).

%% @doc getppid(2): the OS pid of the parent of Task's process.
-spec getppid(task()) -> pid_t().
getppid(Task) -> call(Task, getppid, []).

%% @doc getuid(2): the real uid of Task's process.
-spec getuid(task()) -> uint32_t().
getuid(Task) -> call(Task, getuid, []).

%% @doc kill(2): send Signal (sigterm, 'SIGKILL', 9, ...) to Pid from Task's process;
%% 0 as Pid is its process group.
-spec kill(task(), pid_t(), constant()) -> ok | {error, posix()}.
kill(Task, Pid, Signal) -> call(Task, kill, [Pid, Signal]).

%% @doc open/4 with mode 0.
-spec open(task(), iodata(), constant() | [constant()]) -> {ok, int32_t()} | {error, posix()}.
open(Task, Path, Flags) -> open(Task, Path, Flags, 0).

%% @doc open(2) a file in Task's process: Flags are o_* constants (o_rdonly, o_wronly,
%% o_creat, o_cloexec, ...), Mode the permissions of a file it creates; the fd comes back.
-spec open(task(), iodata(), constant() | [constant()], non_neg_integer()) ->
    {ok, int32_t()} | {error, posix()}.
open(Task, Path, Flags, Mode) -> call(Task, open, [Path, Flags, Mode]).

%% @doc read(2) at most Count bytes from a file descriptor of Task's process.
-spec read(task(), int32_t(), non_neg_integer()) -> {ok, binary()} | {error, posix()}.
read(Task, FD, Count) -> call(Task, read, [FD, Count]).

%% @doc setenv(3): set Name to Value in Task's environment; an existing Name is kept when
%% Overwrite is 0.
-spec setenv(task(), iodata(), iodata(), int32_t()) -> ok | {error, posix()}.
setenv(Task, Name, Value, Overwrite) -> call(Task, setenv, [Name, Value, Overwrite]).

%% @doc Set an option of Task's process (see getopt/2); true if it was set.
-spec setopt(task(), atom(), int32_t()) -> boolean().
setopt(Task, Opt, Val) -> call(Task, setopt, [Opt, Val]).

%% @doc sigaction(2) with sig_dfl, sig_ign, sig_info (signals become
%% `{signal, Task, Sig, Info}' messages, Sig a number for realtime signals) or [] to ask. As
%% in prx, a process in call mode catches every signal from the start but those reporting its
%% own faults (sigsegv, sigbus, sigill, sigfpe, sigsys, sigtrap), sigchld and sigpipe; a
%% program it execs starts with default dispositions. `{sig_info, Fun}': instead of the
%% message, Fun(Drv, Pipeline, Sig, Info) runs in a process of its own (prx runs it in
%% Task), as long as the signal is caught; Drv and Pipeline are for nook_port:call/4.
-spec sigaction(task(), constant(),
                sig_dfl | sig_ign | sig_info | []
                | {sig_info, fun((pid(), [pid_t()], atom(), binary()) -> term())}) ->
    {ok, sig_dfl | sig_ign | sig_info} | {error, posix()}.
sigaction(Task, Signal, {sig_info, Fun}) when is_atom(Signal), is_function(Fun, 4) ->
    %% The fun first, so that no signal caught meanwhile goes past it; gone again if the
    %% disposition is refused.
    ok = nook_task:request(Task, {signal_fun, event_name(Signal), Fun}),
    case call(Task, sigaction, [Signal, sig_info]) of
        {ok, _} = Ok ->
            Ok;
        Refused ->
            ok = nook_task:request(Task, {signal_fun, event_name(Signal), none}),
            Refused
    end;
sigaction(Task, Signal, Handler) when is_atom(Signal), is_atom(Handler) ->
    %% Any other disposition set ends the fun the signal had.
    Result = call(Task, sigaction, [Signal, Handler]),
    _ = [nook_task:request(Task, {signal_fun, event_name(Signal), none}) || element(1, Result) =:= ok],
    Result;
sigaction(Task, Signal, Handler) -> call(Task, sigaction, [Signal, Handler]).

%% Events name signals in lowercase.
event_name(Signal) -> list_to_atom(string:lowercase(atom_to_list(Signal))).

%% @doc unsetenv(3): remove Name from Task's environment.
-spec unsetenv(task(), iodata()) -> ok | {error, posix()}.
unsetenv(Task, Name) -> call(Task, unsetenv, [Name]).

%% @doc The version of priv/nook running Task's process.
-spec version(task()) -> binary().
version(Task) -> call(Task, version, []).

%% @doc write(2) Data to a file descriptor of Task's process; how many bytes were written
%% comes back.
-spec write(task(), int32_t(), iodata()) -> {ok, non_neg_integer()} | {error, posix()}.
write(Task, FD, Data) -> call(Task, write, [FD, Data]).

%% ---- namespaces and mounts ----

%% Namespaces are made with clone/2 or unshare/2 and joined with setns/2,3 (through a
%% /proc/Pid/ns/Type file); a container's root is then built with mount/6, pivot_root/3 and
%% umount2/3. Flags are clone_new*, ms_* and mnt_* constants (atoms in either case, or
%% integers); an unknown one gives {error, enotsup}.

%% @doc chroot(2): Path becomes the root directory of Task's process.
-spec chroot(task(), iodata()) -> ok | {error, posix()}.
chroot(Task, Path) -> call(Task, chroot, [Path]).

%% @doc gethostname(2): the host name Task's process sees (its UTS namespace's).
-spec gethostname(task()) -> {ok, binary()} | {error, posix()}.
gethostname(Task) -> call(Task, gethostname, []).

%% @doc mount(2): Flags are ms_* constants (ms_bind, ms_rdonly, ms_remount, ms_rec,
%% ms_private, ...); an empty Data passes no options.
-spec mount(task(), iodata(), iodata(), iodata(), constant() | [constant()], iodata()) ->
    ok | {error, posix()}.
mount(Task, Source, Target, FSType, Flags, Data) ->
    call(Task, mount, [Source, Target, FSType, Flags, Data]).

%% @doc mount/6 with prx's Options argument, which Linux has no use for: it must be a list
%% and is ignored.
-spec mount(task(), iodata(), iodata(), iodata(), constant() | [constant()], iodata(), list()) ->
    ok | {error, posix()}.
mount(Task, Source, Target, FSType, Flags, Data, Options) when is_list(Options) ->
    mount(Task, Source, Target, FSType, Flags, Data);
mount(_Task, _Source, _Target, _FSType, _Flags, _Data, _Options) ->
    erlang:error(badarg).

%% @doc pivot_root(2): NewRoot becomes the root of Task's mount namespace, the old root
%% moves to PutOld (`pivot_root(T, ".", ".")' then `umount2(T, ".", [mnt_detach])' drops it).
-spec pivot_root(task(), iodata(), iodata()) -> ok | {error, posix()}.
pivot_root(Task, NewRoot, PutOld) -> call(Task, pivot_root, [NewRoot, PutOld]).

%% @doc sethostname(2): set the host name of Task's UTS namespace.
-spec sethostname(task(), iodata()) -> ok | {error, posix()}.
sethostname(Task, Name) -> call(Task, sethostname, [Name]).

%% @doc setns(2) into the namespace of a /proc/Pid/ns/Type file, of any type.
-spec setns(task(), iodata()) -> ok | {error, posix()}.
setns(Task, Path) -> setns(Task, Path, 0).

%% @doc setns(2) into the namespace of a /proc/Pid/ns/Type file, which must be of type
%% NSType (a clone_new* constant, or 0 for any).
-spec setns(task(), iodata(), constant()) -> ok | {error, posix()}.
setns(Task, Path, NSType) -> call(Task, setns, [Path, NSType]).

%% @doc umount(2): unmount Target in Task's mount namespace.
-spec umount(task(), iodata()) -> ok | {error, posix()}.
umount(Task, Target) -> call(Task, umount, [Target]).

%% @doc umount2(2): Flags are mnt_force, mnt_detach, mnt_expire, umount_nofollow.
-spec umount2(task(), iodata(), constant() | [constant()]) -> ok | {error, posix()}.
umount2(Task, Target, Flags) -> call(Task, umount2, [Target, Flags]).

%% @doc unshare(2): Flags are clone_new* constants (and clone_fs, clone_files, clone_sysvsem).
-spec unshare(task(), constant() | [constant()]) -> ok | {error, posix()}.
unshare(Task, Flags) -> call(Task, unshare, [Flags]).

%% (end of namespaces and mounts)

%% ---- identity and credentials ----

%% @doc getgroups(2): the supplementary groups of Task's process.
-spec getgroups(task()) -> {ok, [uint32_t()]} | {error, posix()}.
getgroups(Task) -> call(Task, getgroups, []).

%% @doc getresgid(2): the real, effective and saved gids of Task's process.
-spec getresgid(task()) -> {ok, uint32_t(), uint32_t(), uint32_t()} | {error, posix()}.
getresgid(Task) -> call(Task, getresgid, []).

%% @doc getresuid(2): the real, effective and saved uids of Task's process.
-spec getresuid(task()) -> {ok, uint32_t(), uint32_t(), uint32_t()} | {error, posix()}.
getresuid(Task) -> call(Task, getresuid, []).

%% @doc setgid(2): set the gid of Task's process.
-spec setgid(task(), uint32_t()) -> ok | {error, posix()}.
setgid(Task, Gid) -> call(Task, setgid, [Gid]).

%% @doc setgroups(2): at most NGROUPS_MAX (65536) groups; a longer list gives {error, einval}.
-spec setgroups(task(), [uint32_t()]) -> ok | {error, posix()}.
setgroups(Task, Groups) -> call(Task, setgroups, [Groups]).

%% @doc setresgid(2): real, effective and saved gid; -1 leaves one unchanged.
-spec setresgid(task(), uint32_t() | -1, uint32_t() | -1, uint32_t() | -1) ->
    ok | {error, posix()}.
setresgid(Task, Real, Effective, Saved) -> call(Task, setresgid, [Real, Effective, Saved]).

%% @doc setresuid(2): real, effective and saved uid; -1 leaves one unchanged.
-spec setresuid(task(), uint32_t() | -1, uint32_t() | -1, uint32_t() | -1) ->
    ok | {error, posix()}.
setresuid(Task, Real, Effective, Saved) -> call(Task, setresuid, [Real, Effective, Saved]).

%% @doc setuid(2): set the uid of Task's process.
-spec setuid(task(), uint32_t()) -> ok | {error, posix()}.
setuid(Task, Uid) -> call(Task, setuid, [Uid]).

%% (end of identity and credentials)

%% ---- process attributes and limits ----

%% @doc getpgrp(2): the process group of Task's process.
-spec getpgrp(task()) -> pid_t().
getpgrp(Task) -> call(Task, getpgrp, []).

%% @doc getpriority(2): Which is prio_process, prio_pgrp or prio_user; Who 0 is Task's own.
-spec getpriority(task(), constant(), uint32_t()) -> {ok, int32_t()} | {error, posix()}.
getpriority(Task, Which, Who) -> call(Task, getpriority, [Which, Who]).

%% @doc getrlimit(2): Resource is rlimit_nofile, rlimit_core, ...; RLIM_INFINITY is `infinity'.
-spec getrlimit(task(), constant()) ->
    {ok, #{cur := non_neg_integer() | infinity, max := non_neg_integer() | infinity}}
    | {error, posix()}.
getrlimit(Task, Resource) -> call(Task, getrlimit, [Resource]).

%% @doc getsid(2): the session of Pid (0 for Task's own process).
-spec getsid(task(), pid_t()) -> {ok, pid_t()} | {error, posix()}.
getsid(Task, Pid) -> call(Task, getsid, [Pid]).

%% @doc setpgid(2): move Pid (0 for Task's own process) into the process group Pgid (0:
%% one of its own).
-spec setpgid(task(), pid_t(), pid_t()) -> ok | {error, posix()}.
setpgid(Task, Pid, Pgid) -> call(Task, setpgid, [Pid, Pgid]).

%% @doc setpriority(2): Which is prio_process, prio_pgrp or prio_user; Who 0 is Task's own;
%% Prio from -20 (first) to 19 (last).
-spec setpriority(task(), constant(), uint32_t(), int32_t()) -> ok | {error, posix()}.
setpriority(Task, Which, Who, Prio) -> call(Task, setpriority, [Which, Who, Prio]).

%% @doc setrlimit(2): Cur and Max are integers or `infinity'; one left out keeps its value.
%% An rlimit_nofile too low for the children Task's process has gives {error, einval}; one
%% that succeeds lowers its maxchild option to the children that fit.
-spec setrlimit(task(), constant(),
                #{cur => non_neg_integer() | infinity, max => non_neg_integer() | infinity}) ->
    ok | {error, posix()}.
setrlimit(Task, Resource, Limit) -> call(Task, setrlimit, [Resource, Limit]).

%% @doc setsid(2): Task's process leads a new session; its id comes back.
-spec setsid(task()) -> {ok, pid_t()} | {error, posix()}.
setsid(Task) -> call(Task, setsid, []).

%% (end of process attributes and limits)

%% ---- raw pointers, tracing and waiting ----

%% A struct passed by pointer: inline bytes and word-aligned pointers to N zeroed bytes or to a
%% copy of a binary, laid out as C would. Returned with the bytes the call left, each pointer
%% as `{ptr, binary()}'. At most 64 fields and 64 KiB in all.
-type cstruct() :: [binary() | {ptr, non_neg_integer() | binary()}].

%% @doc fcntl(2) with Arg 0.
-spec fcntl(task(), int32_t(), constant()) -> {ok, integer()} | {error, posix()}.
fcntl(Task, FD, Cmd) -> fcntl(Task, FD, Cmd, 0).

%% @doc fcntl(2) for the commands taking an integer (f_getfd, f_setfd, f_getfl, f_setfl,
%% f_dupfd, f_dupfd_cloexec, f_getown, f_setown, f_getpipe_sz, f_setpipe_sz, ...); any other
%% command is einval. Arg: an integer, fd_cloexec, or o_* flags for f_setfl.
-spec fcntl(task(), int32_t(), constant(), constant() | [constant()]) ->
    {ok, integer()} | {error, posix()}.
fcntl(Task, FD, Cmd, Arg) -> call(Task, fcntl, [FD, Cmd, Arg]).

%% @doc ioctl(2). Arg is an integer (passed as is), a binary or a cstruct (passed by pointer
%% and returned as the call left it).
-spec ioctl(task(), int32_t(), constant(), integer() | binary() | cstruct()) ->
    {ok, #{return_value := integer(), arg := integer() | binary() | cstruct()}}
    | {error, posix()}.
ioctl(Task, FD, Request, Arg) -> call(Task, ioctl, [FD, Request, Arg]).

%% @doc prctl(2). Each Arg is an integer or a name (a signal for pr_set_pdeathsig, else a
%% prctl constant such as pr_cap_ambient_raise), returned as given, or a binary or a cstruct,
%% returned as the call left it: pr_get_name fills `<<0:128>>'.
-spec prctl(task(), constant(), Arg, Arg, Arg, Arg) ->
    {ok, integer(), Arg, Arg, Arg, Arg} | {error, posix()}
    when Arg :: integer() | atom() | binary() | cstruct().
prctl(Task, Option, Arg2, Arg3, Arg4, Arg5) ->
    call(Task, prctl, [Option, Arg2, Arg3, Arg4, Arg5]).

%% @doc ptrace(2). Addr and Data are integers, binaries or cstructs, returned as the call left
%% them; Result is the call's return value (the word read, for the peek requests).
-spec ptrace(task(), constant(), pid_t(), Arg, Arg) ->
    {ok, integer(), Arg, Arg} | {error, posix()}
    when Arg :: integer() | binary() | cstruct().
ptrace(Task, Request, Pid, Addr, Data) -> call(Task, ptrace, [Request, Pid, Addr, Data]).

%% @doc The process name that ps shows (Linux: prctl(PR_SET_NAME), the first 15 bytes; the
%% command line stays as it is).
-spec setproctitle(task(), iodata()) -> ok | {error, posix()}.
setproctitle(Task, Name) -> call(Task, setproctitle, [Name]).

%% @doc waitpid(2) with options wnohang, wuntraced, wcontinued, __wall, ... (wnowait is
%% waitid's: Linux gives einval). Without wnohang Task's process blocks, relaying and answering
%% nothing, until a child changes state. {ok, 0, 0, []}: wnohang found nothing.
-spec waitpid(task(), pid_t(), constant() | [constant()]) ->
    {ok, pid_t(), integer(),
     [{exit_status, integer()} | {termsig, atom() | integer()} | {stopsig, atom() | integer()}
      | continued]}
    | {error, posix()}.
waitpid(Task, Pid, Options) -> call(Task, waitpid, [Pid, Options]).

%% (end of raw pointers, tracing and waiting)

%% ---- files and descriptors ----

%% @doc chmod(2): set the permission bits of Path.
-spec chmod(task(), iodata(), non_neg_integer()) -> ok | {error, posix()}.
chmod(Task, Path, Mode) -> call(Task, chmod, [Path, Mode]).

%% @doc chown(2); -1 as Owner or Group leaves it unchanged.
-spec chown(task(), iodata(), -1 | uint32_t(), -1 | uint32_t()) -> ok | {error, posix()}.
chown(Task, Path, Owner, Group) -> call(Task, chown, [Path, Owner, Group]).

%% @doc fstat(2) of an open fd. uid and gid are as Task's user namespace sees them (an id it
%% does not map reads as the overflow id, 65534); dev and ino name the file in every
%% namespace. Not in prx.
-spec fstat(task(), int32_t()) ->
    {ok, #{type := regular | directory | symlink | device | block_device | fifo | socket | other,
           mode := non_neg_integer(), uid := uint32_t(), gid := uint32_t(),
           dev := non_neg_integer(), ino := non_neg_integer(), nlink := non_neg_integer(),
           size := integer()}}
    | {error, posix()}.
fstat(Task, FD) -> call(Task, fstat, [FD]).

%% @doc dup2(2): NewFD becomes a copy of OldFD (closed first if open), not close-on-exec:
%% `{ok, NewFD}'. nook's own fds are `{error, ebadf}' either way. Not in prx.
-spec dup2(task(), int32_t(), int32_t()) -> {ok, int32_t()} | {error, posix()}.
dup2(Task, OldFD, NewFD) -> call(Task, dup2, [OldFD, NewFD]).

%% @doc link(2): NewPath becomes a hard link to OldPath. Not in prx.
-spec link(task(), iodata(), iodata()) -> ok | {error, posix()}.
link(Task, OldPath, NewPath) -> call(Task, link, [OldPath, NewPath]).

%% @doc lseek(2) with seek_set, seek_cur, seek_end, seek_data or seek_hole; like prx, the
%% new offset is not returned.
-spec lseek(task(), int32_t(), integer(), constant()) -> ok | {error, posix()}.
lseek(Task, FD, Offset, Whence) -> call(Task, lseek, [FD, Offset, Whence]).

%% @doc mkdir(2): create a directory with the permission bits Mode (less the umask).
-spec mkdir(task(), iodata(), non_neg_integer()) -> ok | {error, posix()}.
mkdir(Task, Path, Mode) -> call(Task, mkdir, [Path, Mode]).

%% @doc mkfifo(3): create a named pipe with the permission bits Mode (less the umask).
-spec mkfifo(task(), iodata(), non_neg_integer()) -> ok | {error, posix()}.
mkfifo(Task, Path, Mode) -> call(Task, mkfifo, [Path, Mode]).

%% @doc Every name in the directory, "." and ".." included, in the file system's order.
-spec readdir(task(), iodata()) -> {ok, [binary()]} | {error, posix()}.
readdir(Task, Path) -> call(Task, readdir, [Path]).

%% @doc rename(2). Not in prx.
-spec rename(task(), iodata(), iodata()) -> ok | {error, posix()}.
rename(Task, OldPath, NewPath) -> call(Task, rename, [OldPath, NewPath]).

%% @doc rmdir(2): remove an empty directory.
-spec rmdir(task(), iodata()) -> ok | {error, posix()}.
rmdir(Task, Path) -> call(Task, rmdir, [Path]).

%% @doc select(2) on fds below FD_SETSIZE (1024): those ready to read, to write and with an
%% exceptional condition. Timeout: [] waits for ever, the process answering nothing
%% meanwhile (as waitpid/3 without wnohang); `#{sec => S, usec => U}', either left out as 0.
-spec select(task(), [int32_t()], [int32_t()], [int32_t()],
             [] | #{sec => integer(), usec => integer()}) ->
    {ok, [int32_t()], [int32_t()], [int32_t()]} | {error, posix()}.
select(Task, Read, Write, Except, Timeout) when is_map(Timeout) ->
    Time = #{sec => maps:get(sec, Timeout, 0), usec => maps:get(usec, Timeout, 0)},
    case maps:size(maps:without([sec, usec], Timeout)) of
        0 -> call(Task, select, [Read, Write, Except, Time]);
        _ -> erlang:error(badarg, [Task, Read, Write, Except, Timeout])
    end;
select(Task, Read, Write, Except, Timeout) ->
    call(Task, select, [Read, Write, Except, Timeout]).

%% @doc socket(2): Domain af_unix, af_inet, af_inet6, af_netlink, af_packet; Type
%% sock_stream, sock_dgram, sock_raw, sock_seqpacket, alone or in a list with sock_nonblock
%% and sock_cloexec; Protocol 0, ipproto_tcp, ipproto_udp, ipproto_icmp, ... The fd is
%% always close-on-exec.
-spec socket(task(), constant(), constant() | [constant()], constant()) ->
    {ok, int32_t()} | {error, posix()}.
socket(Task, Domain, Type, Protocol) -> call(Task, socket, [Domain, Type, Protocol]).

%% @doc symlink(2): LinkPath becomes a symbolic link holding Target. Not in prx.
-spec symlink(task(), iodata(), iodata()) -> ok | {error, posix()}.
symlink(Task, Target, LinkPath) -> call(Task, symlink, [Target, LinkPath]).

%% @doc unlink(2): remove a name from the file system.
-spec unlink(task(), iodata()) -> ok | {error, posix()}.
unlink(Task, Path) -> call(Task, unlink, [Path]).

%% (end of files and descriptors)

%% ---- system call filtering (seccomp) ----

%% @doc seccomp(2) as prx has it. Operation seccomp_set_mode_strict, seccomp_set_mode_filter,
%% seccomp_get_action_avail or seccomp_get_notif_sizes; Flags seccomp_filter_flag_*; Prog
%% what the operation points to: a struct sock_fprog as the cstruct
%% `[<<Len:16/native, 0:48>>, {ptr, Instructions}]', a binary, an integer, or [] for none.
%% `{ok, FD}': the listener fd seccomp_filter_flag_new_listener returns (prx says ok).
-spec seccomp(task(), constant(), constant() | [constant()], integer() | binary() | cstruct()) ->
    ok | {ok, int32_t()} | {error, posix()}.
seccomp(Task, Operation, Flags, Prog) -> call(Task, seccomp, [Operation, Flags, Prog]).

%% @doc Compile a policy (see nook_seccomp) with libseccomp into the BPF program that
%% seccomp_load/2 loads, for the native architecture and its compat ones. A malformed policy
%% raises `{badarg, Element}'; a syscall no architecture knows is `{error, {unknown_syscall,
%% Name}}', a constant no table has `{error, {unknown_constant, Name}}'. At most 1024 rules
%% (one per syscall named) and 256 conditions in all: `{error, {too_many, What, Max}}'.
-spec seccomp_compile(task(), nook_seccomp:policy()) ->
    {ok, binary()} | {error, {unknown_syscall | unknown_constant, atom()}
                     | {rule_refused, atom(), posix()} | {too_many, rules | conditions, pos_integer()}
                     | {too_large, pos_integer()} | posix()}.
seccomp_compile(Task, Policy) -> call(Task, seccomp_compile, [nook_seccomp:normalize(Policy)]).

%% @doc Load a compiled filter into Task's process (SECCOMP_SET_MODE_FILTER). It stays for the
%% process and everything it starts, under any later filter. eacces: the process needs
%% no_new_privs (`prctl(T, pr_set_no_new_privs, 1, 0, 0, 0)') or CAP_SYS_ADMIN in its user
%% namespace; einval: an empty or invalid program. Not in prx.
-spec seccomp_load(task(), binary()) -> ok | {error, posix()}.
seccomp_load(Task, BPF) -> call(Task, seccomp_load, [BPF]).

%% @doc The name of syscall Nr on Arch (native, x86_64, x86, x32, aarch64, arm, ... or the
%% AUDIT_ARCH value of a siginfo_t's si_arch), and the architecture it was found on. Not in prx.
-spec seccomp_syscall_name(task(), integer(), constant()) ->
    {ok, atom(), atom() | integer()} | {error, {unknown_syscall, integer()} | posix()}.
seccomp_syscall_name(Task, Nr, Arch) -> call(Task, seccomp_syscall_name, [Nr, Arch]).

%% (end of system call filtering (seccomp))

%% ---- process descriptors ----

%% @doc pidfd_open(2): a descriptor standing for process Pid for as long as it is open, which
%% no process reusing the pid later can be taken for; close-on-exec. Flags: 0, or the value
%% of PIDFD_NONBLOCK. Not in prx.
-spec pidfd_open(task(), pid_t(), non_neg_integer()) -> {ok, int32_t()} | {error, posix()}.
pidfd_open(Task, Pid, Flags) -> call(Task, pidfd_open, [Pid, Flags]).

%% @doc pidfd_send_signal(2): kill/3 through a descriptor of pidfd_open/3, so that the signal
%% reaches that process or none (`{error, esrch}' once it has exited). Flags: 0. Not in prx.
-spec pidfd_send_signal(task(), int32_t(), constant(), non_neg_integer()) ->
    ok | {error, posix()}.
pidfd_send_signal(Task, PidFD, Signal, Flags) ->
    call(Task, pidfd_send_signal, [PidFD, Signal, Flags]).

%% (end of process descriptors)

%% ---- constants by name ----

%% What prx programs ask with call/3 (`prx:call(T, syscall_constant, [sys_getpid])'): a
%% constant's value in this build, or `unknown'. Names in either case, as everywhere.

%% @doc clone(2) flags: clone_newuser, clone_newpid, ...
-spec clone_constant(task(), atom()) -> integer() | unknown.
clone_constant(Task, Name) -> call(Task, clone_constant, [Name]).

%% @doc fcntl(2) commands and arguments: f_getfd, fd_cloexec, ...
-spec fcntl_constant(task(), atom()) -> integer() | unknown.
fcntl_constant(Task, Name) -> call(Task, fcntl_constant, [Name]).

%% @doc open(2) flags: o_rdonly, o_cloexec, ...
-spec file_constant(task(), atom()) -> integer() | unknown.
file_constant(Task, Name) -> call(Task, file_constant, [Name]).

%% @doc ioctl(2) requests: tiocswinsz, ...
-spec ioctl_constant(task(), atom()) -> integer() | unknown.
ioctl_constant(Task, Name) -> call(Task, ioctl_constant, [Name]).

%% @doc mount(2) and umount2(2) flags: ms_bind, mnt_detach, ...
-spec mount_constant(task(), atom()) -> integer() | unknown.
mount_constant(Task, Name) -> call(Task, mount_constant, [Name]).

%% @doc prctl(2) options and arguments: pr_set_pdeathsig, ...
-spec prctl_constant(task(), atom()) -> integer() | unknown.
prctl_constant(Task, Name) -> call(Task, prctl_constant, [Name]).

%% @doc ptrace(2) requests and options: ptrace_traceme, ...
-spec ptrace_constant(task(), atom()) -> integer() | unknown.
ptrace_constant(Task, Name) -> call(Task, ptrace_constant, [Name]).

%% @doc setrlimit(2) resources: rlimit_nofile, ...
-spec rlimit_constant(task(), atom()) -> integer() | unknown.
rlimit_constant(Task, Name) -> call(Task, rlimit_constant, [Name]).

%% @doc seccomp(2) operations and flags.
-spec seccomp_constant(task(), atom()) -> integer() | unknown.
seccomp_constant(Task, Name) -> call(Task, seccomp_constant, [Name]).

%% @doc Signals: sigterm, sighup, ...
-spec signal_constant(task(), atom()) -> integer() | unknown.
signal_constant(Task, Name) -> call(Task, signal_constant, [Name]).

%% @doc The number of a system call on this architecture: sys_getpid (prx's name), or getpid.
-spec syscall_constant(task(), atom()) -> integer() | unknown.
syscall_constant(Task, Name) -> call(Task, syscall_constant, [Name]).

%% (end of constants by name)
%% ---- terminals ----

%% @doc A new pseudo-terminal for Task, made by its parent (pty/3) and given to Task's uid:
%% `{ok, Path}', the secondary's path for Task to open. From then on what stdin/2 and
%% stdin_write/3 send is typed on the terminal, what it shows comes as stdout, eof/1 types
%% its EOF character (^D) rather than hanging it up, and winsize/3 resizes it. Task (in call
%% mode, a session leader: setsid/1) then opens Path, makes it its controlling terminal
%% (ioctl/4 `tiocsctty') and its 0, 1 and 2 (dup2/3), as nook_stream's `{pty, true}' does.
%% Not in prx.
-spec pty(task()) -> {ok, binary()} | {error, posix()}.
pty(Task) ->
    Uid = getuid(Task),
    nook_task:request(Task, {via_parent, pty, [Uid], {error, esrch}}).

%% @doc A new pseudo-terminal for Task's child (a task or its OS pid), which has not exec'd:
%% its primary replaces Task's ends of the child's stdin and stdout pipes. `{ok, Path}', the
%% secondary's path as Task's process sees it (inside a container, in the container's own
%% /dev/pts); Owner is the uid it is given, -1 for the kernel's choice (Task's uid, or the
%% devpts `uid=' option). `{error, eexist}' if the child has one, `ebusy' once it has
%% exec'd. Not in prx.
-spec pty(task(), task() | pid_t(), -1 | uint32_t()) -> {ok, binary()} | {error, posix()}.
pty(Task, Child, Owner) -> call_on_child(Task, Child, pty, [Owner], {error, esrch}).

%% @doc Resize Task's terminal (pty/1) through its parent: TIOCSWINSZ, and the kernel sends
%% SIGWINCH to the terminal's foreground process group. `{error, enotty}' for a task without
%% one. Not in prx.
-spec winsize(task(), 0..65535, 0..65535) -> ok | {error, posix()}.
winsize(Task, Rows, Cols) ->
    nook_task:request(Task, {via_parent, winsize, [Rows, Cols], {error, enotty}}).

%% @doc Resize the terminal of Task's child (a task or its OS pid), as winsize/3. Not in prx.
-spec winsize(task(), task() | pid_t(), 0..65535, 0..65535) -> ok | {error, posix()}.
winsize(Task, Child, Rows, Cols) ->
    call_on_child(Task, Child, winsize, [Rows, Cols], {error, esrch}).

%% (end of terminals)

%% ---- policies decided late or live ----

%% Landlock (landlock(7)) restricts what a process and its descendants may do with files and
%% TCP ports, without privilege; nook_landlock composes these three calls. A notify filter
%% (seccomp_load_notify/2) makes chosen calls wait for an answer decided in Erlang;
%% nook_notify composes it.

%% @doc landlock_create_ruleset(2): a ruleset handling the rights of Attr, a map of any of
%% `handled_access_fs' (landlock_access_fs_* constants), `handled_access_net'
%% (landlock_access_net_*) and `scoped' (landlock_scope_*), each a constant or a list; what
%% a ruleset handles is denied but for its rules. With Attr `#{}' and Flags
%% `landlock_create_ruleset_version', the kernel's Landlock ABI version instead. The fd is
%% close-on-exec. Not in prx.
-spec landlock_create_ruleset(task(), #{atom() => constant() | [constant()]} | [],
                              constant() | [constant()]) ->
    {ok, non_neg_integer()} | {error, posix()}.
landlock_create_ruleset(Task, Attr, Flags) -> call(Task, landlock_create_ruleset, [Attr, Flags]).

%% @doc landlock_add_rule(2): RuleType `landlock_rule_path_beneath' allows the
%% landlock_access_fs_* rights Access beneath Object, the fd of a directory (or file)
%% opened with o_path; `landlock_rule_net_port' allows the landlock_access_net_* rights on
%% TCP port Object. Not in prx.
-spec landlock_add_rule(task(), int32_t(), constant(), constant() | [constant()], integer()) ->
    ok | {error, posix()}.
landlock_add_rule(Task, RulesetFD, RuleType, Access, Object) ->
    call(Task, landlock_add_rule, [RulesetFD, RuleType, Access, Object]).

%% @doc landlock_restrict_self(2): Task's process and all it starts are held to the ruleset
%% from now on (eperm without no_new_privs or CAP_SYS_ADMIN). Flags: 0, or the
%% landlock_restrict_self_log_* flags of ABI 7. Not in prx.
-spec landlock_restrict_self(task(), int32_t(), constant() | [constant()]) ->
    ok | {error, posix()}.
landlock_restrict_self(Task, RulesetFD, Flags) ->
    call(Task, landlock_restrict_self, [RulesetFD, Flags]).

%% @doc Load a compiled filter (seccomp_compile/2) as seccomp_load/2 does, with a listener
%% for the calls its `notify' rules name: the listener goes to the parent's process, which
%% sends Task each notification as `{seccomp_notify, Task, #{id, pid, syscall, arch, args,
%% mem}}' (to the process nook_notify sets, else Task's owner), to be answered with
%% seccomp_notif_send/4; neither Task's process nor its program keeps it. eperm for the root
%% task; ebusy where such a filter is loaded already, in Task's process or above it (the
%% kernel allows one per process and its descendants). Not in prx.
-spec seccomp_load_notify(task(), binary()) -> ok | {error, posix()}.
seccomp_load_notify(Task, BPF) -> call(Task, seccomp_load_notify, [BPF]).

%% @doc Answer notification Id of Child (a task or its OS pid), whose listener Task's
%% process holds: `allow' lets the call run, `{errno, Posix}' fails it. `{error, enoent}'
%% once it waits no more (`einprogress' in the moment its caller takes an answer). No call
%% filter refuses it. Not in prx.
-spec seccomp_notif_send(task(), task() | pid_t(), non_neg_integer(),
                         allow | {errno, posix() | 1..4095}) -> ok | {error, posix()}.
seccomp_notif_send(Task, Child, Id, Response) ->
    call_on_child(Task, Child, seccomp_notif_send, [Id, Response], {error, esrch}).

%% (end of policies decided late or live)
