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
    fork/0, fork/1, clone/2, filter/2, filter/3, execve/3, execve/4, execvp/2, execvp/3, stdin/2, eof/1, eof/2, eof/3,
    stop/1, pidof/1, parent/1, pipeline/1, execed/1, cpid/1, cpid/2, getcpid/2, getcpid/3,
    setcpid/3, setcpid/4, controlling_process/2, stdio/2, sudo/0, sudo/1, call/3
]).
-export([
    chdir/2, clearenv/1, close/2, environ/1, exit/2, getcwd/1, getegid/1, getenv/2,
    geteuid/1, getgid/1, getopt/2, getpid/1, getppid/1, getuid/1, kill/3, open/3, open/4,
    read/3, setenv/4, setopt/3, sigaction/3, unsetenv/2, version/1, write/3
]).

%% namespaces and mounts
-export([]).
%% identity and credentials
-export([]).
%% process attributes and limits
-export([]).
%% raw pointers, tracing and waiting
-export([fcntl/3, fcntl/4, ioctl/4, prctl/6, ptrace/5, setproctitle/2, waitpid/3]).
-export_type([cstruct/0]).
%% files and descriptors
-export([]).

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
                  signaloneof := int32_t(), fdctl := int32_t(), stdin := int32_t(),
                  stdout := int32_t(), stderr := int32_t()}.
-type event() ::
    {stdout, task(), binary()} | {stderr, task(), binary()} | {exit_status, task(), integer()}
    | {termsig, task(), atom()} | {signal, task(), atom(), binary()}
    | {stdin, task(), {error, term()}}.

%% ---- tasks ----

%% @doc Start a new port: its root task, linked to the caller, who owns it.
-spec fork() -> {ok, task()} | {error, term()}.
fork() ->
    case application:get_env(nook, exec, "") of
        "" -> nook_task:start_root([]);
        Exec -> nook_task:start_root([{exec, Exec}])
    end.

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

-spec execvp(task(), [iodata(), ...]) -> ok | {error, posix()}.
execvp(Task, [Arg0 | _] = Argv) -> execvp(Task, Arg0, Argv).

%% @doc execvp(3): Task becomes the program; its output arrives as messages.
-spec execvp(task(), iodata(), [iodata()]) -> ok | {error, posix()}.
execvp(Task, Arg0, Argv) -> nook_task:call(Task, execvp, [Arg0, Argv]).

-spec execve(task(), [iodata(), ...], [iodata()]) -> ok | {error, posix()}.
execve(Task, [Arg0 | _] = Argv, Env) -> execve(Task, Arg0, Argv, Env).

%% @doc execve(2) with argv[0] free to differ from the path.
-spec execve(task(), iodata(), [iodata()], [iodata()]) -> ok | {error, posix()}.
execve(Task, Path, Argv, Env) -> nook_task:call(Task, execve, [Path, Argv, Env]).

%% @doc Write to the task's stdin (its program's, once exec'd). Never blocks; a write the
%% parent cannot queue is reported as `{stdin, Task, {error, Reason}}'.
-spec stdin(task(), iodata()) -> ok.
stdin(Task, Data) -> nook_task:cast(Task, {stdin, Data}).

%% @doc Close the task's stdin.
-spec eof(task()) -> ok | {error, posix()}.
eof(Task) -> eof(Task, stdin).

%% @doc eof(Task, stdin | stdout | stderr) closes that pipe of Task; eof(Task, Child)
%% closes the stdin of Task's child.
-spec eof(task(), stdin | stdout | stderr | task() | pid_t()) -> ok | {error, posix()}.
eof(Task, Which) when Which =:= stdin; Which =:= stdout; Which =:= stderr ->
    nook_task:request(Task, {via_parent, eof, [Which], {error, ebadf}});
eof(Task, Child) ->
    eof(Task, Child, stdin).

-spec eof(task(), task() | pid_t(), stdin | stdout | stderr) -> ok | {error, posix()}.
eof(Task, Child, Which) ->
    case child_os_pid(Child) of
        noproc -> {error, esrch};
        Pid -> call(Task, eof, [Pid, Which])
    end.

%% @doc Stop the task: its OS process is killed and reaped, and so is everything below it.
-spec stop(task()) -> ok.
stop(Task) ->
    catch gen_statem:stop(Task),
    ok.

%% @doc The task's OS pid (as its parent sees it), or noproc.
-spec pidof(task()) -> pid_t() | noproc.
pidof(Task) ->
    try nook_task:request(Task, pidof)
    catch exit:_ -> noproc
    end.

-spec parent(task()) -> task() | noproc.
parent(Task) ->
    try nook_task:request(Task, parent)
    catch exit:_ -> noproc
    end.

%% @doc The OS pids from the root's child down to the task; [] for the root.
-spec pipeline(task()) -> [pid_t()].
pipeline(Task) -> nook_task:request(Task, pipeline).

-spec execed(task()) -> boolean().
execed(Task) -> nook_task:request(Task, execed).

%% @doc The children of Task as its process tracks them.
-spec cpid(task()) -> [cpid()].
cpid(Task) -> call(Task, cpid, []).

-spec cpid(task(), task() | pid_t()) -> cpid() | error.
cpid(Task, Child) ->
    Pid = child_os_pid(Child),
    case [C || #{pid := P} = C <- cpid(Task), P =:= Pid] of
        [C] -> C;
        [] -> error
    end.

%% @doc An option the parent keeps about Task: flowcontrol, signaloneof, exec.
-spec getcpid(task(), atom()) -> int32_t() | false.
getcpid(Task, Opt) ->
    try nook_task:request(Task, {via_parent, getcpid, [Opt], false})
    catch exit:_ -> false
    end.

-spec getcpid(task(), task() | pid_t(), atom()) -> int32_t() | false.
getcpid(Task, Child, Opt) ->
    case child_os_pid(Child) of
        noproc -> false;
        Pid -> call(Task, getcpid, [Pid, Opt])
    end.

%% @doc Set an option the parent keeps about Task (flowcontrol re-arms output reads).
-spec setcpid(task(), atom(), int32_t()) -> boolean().
setcpid(Task, Opt, Val) ->
    try nook_task:request(Task, {via_parent, setcpid, [Opt, Val], false})
    catch exit:_ -> false
    end.

-spec setcpid(task(), task() | cpid() | pid_t(), atom(), int32_t()) -> boolean().
setcpid(Task, Child, Opt, Val) ->
    case child_os_pid(Child) of
        noproc -> false;
        Pid -> call(Task, setcpid, [Pid, Opt, Val])
    end.

%% @doc Hand the task (calls and output) to another process.
-spec controlling_process(task(), pid()) -> ok | {error, badarg}.
controlling_process(Task, Pid) -> nook_task:request(Task, {controlling_process, Pid}).

%% @doc Send the task's output and exit messages to another process.
-spec stdio(task(), pid()) -> ok | {error, badarg}.
stdio(Task, Pid) -> nook_task:request(Task, {stdio, Pid}).

%% @doc Start later ports with sudo -n.
-spec sudo() -> ok.
sudo() -> sudo("sudo -n").

%% @doc Start later ports under Exec ("" for none).
-spec sudo(string()) -> ok.
sudo(Exec) -> application:set_env(nook, exec, Exec).

%% @doc Any call from c_src/calls.def by name, with its arguments.
-spec call(task(), atom(), [term()]) -> term().
call(Task, Call, Args) -> nook_task:call(Task, Call, Args).

child_os_pid(Pid) when is_integer(Pid) -> Pid;
child_os_pid(#{pid := Pid}) -> Pid;
child_os_pid(Task) when is_pid(Task) -> pidof(Task);
child_os_pid(_) -> erlang:error(badarg).

%% ---- system calls ----

-spec chdir(task(), iodata()) -> ok | {error, posix()}.
chdir(Task, Path) -> call(Task, chdir, [Path]).

-spec clearenv(task()) -> ok | {error, posix()}.
clearenv(Task) -> call(Task, clearenv, []).

-spec close(task(), int32_t()) -> ok | {error, posix()}.
close(Task, FD) -> call(Task, close, [FD]).

-spec environ(task()) -> [binary()].
environ(Task) -> call(Task, environ, []).

%% @doc exit(3) in Task's process: ok, then `{exit_status, Task, Status}'.
-spec exit(task(), int32_t()) -> ok.
exit(Task, Status) -> call(Task, exit, [Status]).

-spec getcwd(task()) -> {ok, binary()} | {error, posix()}.
getcwd(Task) -> call(Task, getcwd, []).

-spec getegid(task()) -> uint32_t().
getegid(Task) -> call(Task, getegid, []).

-spec getenv(task(), iodata()) -> binary() | false.
getenv(Task, Name) -> call(Task, getenv, [Name]).

-spec geteuid(task()) -> uint32_t().
geteuid(Task) -> call(Task, geteuid, []).

-spec getgid(task()) -> uint32_t().
getgid(Task) -> call(Task, getgid, []).

%% @doc Options of Task's process: maxchild, maxforkdepth, exit_status, termsig,
%% flowcontrol, signaloneof.
-spec getopt(task(), atom()) -> int32_t() | false.
getopt(Task, Opt) -> call(Task, getopt, [Opt]).

-spec getpid(task()) -> pid_t().
getpid(Task) -> call(Task, getpid, []).

-spec getppid(task()) -> pid_t().
getppid(Task) -> call(Task, getppid, []).

-spec getuid(task()) -> uint32_t().
getuid(Task) -> call(Task, getuid, []).

-spec kill(task(), pid_t(), constant()) -> ok | {error, posix()}.
kill(Task, Pid, Signal) -> call(Task, kill, [Pid, Signal]).

-spec open(task(), iodata(), constant() | [constant()]) -> {ok, int32_t()} | {error, posix()}.
open(Task, Path, Flags) -> open(Task, Path, Flags, 0).

-spec open(task(), iodata(), constant() | [constant()], non_neg_integer()) ->
    {ok, int32_t()} | {error, posix()}.
open(Task, Path, Flags, Mode) -> call(Task, open, [Path, Flags, Mode]).

-spec read(task(), int32_t(), non_neg_integer()) -> {ok, binary()} | {error, posix()}.
read(Task, FD, Count) -> call(Task, read, [FD, Count]).

-spec setenv(task(), iodata(), iodata(), int32_t()) -> ok | {error, posix()}.
setenv(Task, Name, Value, Overwrite) -> call(Task, setenv, [Name, Value, Overwrite]).

-spec setopt(task(), atom(), int32_t()) -> boolean().
setopt(Task, Opt, Val) -> call(Task, setopt, [Opt, Val]).

%% @doc sigaction(2) with sig_dfl, sig_ign, sig_info (signals become
%% `{signal, Task, Sig, Info}' messages) or [] to ask.
-spec sigaction(task(), constant(), sig_dfl | sig_ign | sig_info | []) ->
    {ok, sig_dfl | sig_ign | sig_info} | {error, posix()}.
sigaction(Task, Signal, Handler) -> call(Task, sigaction, [Signal, Handler]).

-spec unsetenv(task(), iodata()) -> ok | {error, posix()}.
unsetenv(Task, Name) -> call(Task, unsetenv, [Name]).

-spec version(task()) -> binary().
version(Task) -> call(Task, version, []).

-spec write(task(), int32_t(), iodata()) -> {ok, non_neg_integer()} | {error, posix()}.
write(Task, FD, Data) -> call(Task, write, [FD, Data]).

%% ---- namespaces and mounts ----

%% (end of namespaces and mounts)

%% ---- identity and credentials ----

%% (end of identity and credentials)

%% ---- process attributes and limits ----

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

%% (end of files and descriptors)
