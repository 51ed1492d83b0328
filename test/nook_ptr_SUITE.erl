%% SPDX-License-Identifier: ISC
%% @doc Raw pointers, tracing and waiting: fcntl, ioctl, prctl, ptrace, setproctitle, waitpid,
%% and the cstruct codec their pointer arguments go through. One case per call (success and
%% failure paths), plus cases for the codec's layout and limits and for waitpid reaping a task.
%%
%% No verdict depends on timing: a receive or a poll of /proc waits for a state that must come,
%% and its time limit only turns a hang into a failure.
-module(nook_ptr_SUITE).

-include_lib("common_test/include/ct.hrl").
-include_lib("stdlib/include/assert.hrl").

-export([all/0, suite/0, init_per_testcase/2, end_per_testcase/2]).
-export([fcntl/1, ioctl/1, ioctl_winsize/1, prctl/1, prctl_cstruct/1, ptrace/1,
         setproctitle/1, waitpid/1, waitpid_reaps_task/1]).

%% Failure guard for messages and states that must arrive; never part of a verdict.
-define(TIMEOUT, 5000).
%% No OS process has this pid: it is far above any pid_max.
-define(NO_SUCH_PID, 16#7ffffffe).
%% Signal numbers and flags that are the same on x86 and arm Linux.
-define(SIGKILL, 9).
-define(SIGTERM, 15).
-define(SIGSTOP, 19).
-define(O_NONBLOCK, 8#4000).

suite() -> [{timetrap, {seconds, 60}}].

all() ->
    [fcntl, ioctl, ioctl_winsize, prctl, prctl_cstruct, ptrace, setproctitle, waitpid,
     waitpid_reaps_task].

init_per_testcase(_Case, Config) ->
    {ok, Root} = nook:fork(),
    [{root, Root} | Config].

end_per_testcase(_Case, Config) ->
    nook:stop(?config(root, Config)).

%% ---- calls ----

fcntl(Config) ->
    T = ?config(root, Config),
    {ok, FD} = nook:open(T, "/dev/null", [o_rdonly]),
    ?assertEqual({ok, 0}, nook:fcntl(T, FD, f_getfd)),
    ?assertEqual({ok, 0}, nook:fcntl(T, FD, f_setfd, fd_cloexec)),
    ?assertEqual({ok, 1}, nook:fcntl(T, FD, 'F_GETFD')),
    ?assertEqual({ok, 0}, nook:fcntl(T, FD, f_setfd, 0)),
    ?assertEqual({ok, 0}, nook:fcntl(T, FD, f_getfd, 0)),
    %% f_setfl takes open(2)'s flag names
    {ok, Fl} = nook:fcntl(T, FD, f_getfl),
    ?assertEqual({ok, 0}, nook:fcntl(T, FD, f_setfl, [o_nonblock])),
    ?assertEqual({ok, Fl bor ?O_NONBLOCK}, nook:fcntl(T, FD, f_getfl)),
    {ok, Dup} = nook:fcntl(T, FD, f_dupfd_cloexec, 100),
    ?assert(Dup >= 100),
    ?assertEqual({ok, 1}, nook:fcntl(T, Dup, f_getfd)),
    Fifo = mkfifo(Config, "fcntl.fifo"),
    {ok, Pipe} = nook:open(T, Fifo, [o_rdwr]),
    ?assertEqual({ok, 4096}, nook:fcntl(T, Pipe, f_setpipe_sz, 4096)),
    ?assertEqual({ok, 4096}, nook:fcntl(T, Pipe, f_getpipe_sz)),
    ?assertEqual({error, ebadf}, nook:fcntl(T, 9999, f_getfd)),
    %% nook's own fds (here a child's stdin pipe) are not the caller's to change
    {ok, C} = nook:fork(T),
    #{stdin := ChildStdin} = nook:cpid(T, C),
    ?assertEqual({error, ebadf}, nook:fcntl(T, ChildStdin, f_setfl, 0)),
    %% f_getlk (5) takes a pointer: an integer cannot be its argument
    ?assertEqual({error, einval}, nook:fcntl(T, FD, 5, 0)),
    ?assertEqual({error, enotsup}, nook:fcntl(T, FD, f_nosuchcmd)),
    ?assertEqual({error, enotsup}, nook:fcntl(T, FD, f_setfd, fd_nosuchflag)),
    ?assertError(badarg, nook:fcntl(T, FD, "f_getfd")),
    ?assertError(badarg, nook:fcntl(T, FD, f_setfd, 1.0)),
    %% a type error wins over an unknown name
    ?assertError(badarg, nook:fcntl(T, FD, f_nosuchcmd, 1.0)).

ioctl(Config) ->
    T = ?config(root, Config),
    Fifo = mkfifo(Config, "ioctl.fifo"),
    {ok, FD} = nook:open(T, Fifo, [o_rdwr]),
    {ok, 3} = nook:write(T, FD, <<"abc">>),
    %% fionread writes an int through its pointer: the buffer comes back filled
    ?assertEqual({ok, #{return_value => 0, arg => <<3:32/native>>}},
                 nook:ioctl(T, FD, fionread, <<0:32>>)),
    %% an integer argument comes back as given
    ?assertEqual({ok, #{return_value => 0, arg => 0}}, nook:ioctl(T, FD, 'FIOCLEX', 0)),
    ?assertEqual({ok, 1}, nook:fcntl(T, FD, f_getfd)),
    ?assertEqual({error, enotty}, nook:ioctl(T, FD, tiocgwinsz, <<0:64>>)),
    ?assertEqual({error, ebadf}, nook:ioctl(T, 9999, fionread, <<0:32>>)),
    {ok, C} = nook:fork(T),
    #{stdout := ChildStdout} = nook:cpid(T, C),
    ?assertEqual({error, ebadf}, nook:ioctl(T, ChildStdout, fionbio, <<0:32>>)),
    ?assertEqual({error, enotsup}, nook:ioctl(T, FD, tiocnosuch, 0)),
    ?assertError(badarg, nook:ioctl(T, FD, fionread, 1.5)),
    ?assertError(badarg, nook:ioctl(T, FD, fionread, not_a_buffer)),
    ?assertError(badarg, nook:ioctl(T, FD, 1 bsl 32, 0)),
    ?assertError(badarg, nook:ioctl(T, FD, fionread, <<0:(65537 * 8)>>)).

ioctl_winsize(Config) ->
    T = ?config(root, Config),
    case nook:open(T, "/dev/ptmx", [o_rdwr, o_noctty]) of
        {ok, Ptm} ->
            Size = <<24:16/native, 80:16/native, 0:32>>,
            ?assertEqual({ok, #{return_value => 0, arg => Size}},
                         nook:ioctl(T, Ptm, tiocswinsz, Size)),
            ?assertEqual({ok, #{return_value => 0, arg => Size}},
                         nook:ioctl(T, Ptm, tiocgwinsz, <<0:64>>)),
            %% a cstruct of two fields: rows and columns, then the pixel sizes
            ?assertEqual({ok, #{return_value => 0,
                                arg => [<<24:16/native, 80:16/native>>, <<0:32>>]}},
                         nook:ioctl(T, Ptm, tiocgwinsz, [<<0:32>>, <<0:32>>])),
            {ok, Null} = nook:open(T, "/dev/null", [o_rdonly]),
            ?assertEqual({error, enotty}, nook:ioctl(T, Null, tiocgwinsz, <<0:64>>));
        {error, Reason} ->
            {skip, lists:flatten(io_lib:format("no pseudo-terminal: /dev/ptmx ~p", [Reason]))}
    end.

prctl(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    ?assertEqual({ok, 0, <<"nooktest">>, 0, 0, 0}, nook:prctl(C, pr_set_name, <<"nooktest">>, 0, 0, 0)),
    ?assertEqual({ok, 0, <<"nooktest", 0:64>>, 0, 0, 0},
                 nook:prctl(C, pr_get_name, <<0:128>>, 0, 0, 0)),
    ?assertEqual({ok, <<"nooktest\n">>}, file:read_file(proc(nook:pidof(C), "comm"))),
    ?assertEqual({ok, 0, 0, 0, 0, 0}, nook:prctl(C, pr_get_no_new_privs, 0, 0, 0, 0)),
    ?assertEqual({ok, 0, 1, 0, 0, 0}, nook:prctl(C, 'PR_SET_NO_NEW_PRIVS', 1, 0, 0, 0)),
    ?assertEqual({ok, 1, 0, 0, 0, 0}, nook:prctl(C, pr_get_no_new_privs, 0, 0, 0, 0)),
    %% nook's children die with their parent; a signal name stands for its number
    ?assertEqual({ok, 0, <<?SIGKILL:32/native>>, 0, 0, 0},
                 nook:prctl(C, pr_get_pdeathsig, <<0:32>>, 0, 0, 0)),
    ?assertEqual({ok, 0, sigterm, 0, 0, 0}, nook:prctl(C, pr_set_pdeathsig, sigterm, 0, 0, 0)),
    ?assertEqual({ok, 0, <<?SIGTERM:32/native>>, 0, 0, 0},
                 nook:prctl(C, pr_get_pdeathsig, <<0:32>>, 0, 0, 0)),
    {ok, 0, ?SIGKILL, 0, 0, 0} = nook:prctl(C, pr_set_pdeathsig, ?SIGKILL, 0, 0, 0),
    {ok, InBoundingSet, 0, 0, 0, 0} = nook:prctl(C, pr_capbset_read, 0, 0, 0, 0),
    ?assert(InBoundingSet =:= 0 orelse InBoundingSet =:= 1),
    ?assertEqual({error, einval}, nook:prctl(C, pr_capbset_read, 999, 0, 0, 0)),
    %% other options' arguments may be named from the same table
    {ok, Ambient, pr_cap_ambient_is_set, 0, 0, 0} =
        nook:prctl(C, pr_cap_ambient, pr_cap_ambient_is_set, 0, 0, 0),
    ?assert(Ambient =:= 0 orelse Ambient =:= 1),
    %% pr_get_no_new_privs wants its other arguments 0
    ?assertEqual({error, einval}, nook:prctl(C, pr_get_no_new_privs, 1, 0, 0, 0)),
    ?assertEqual({error, enotsup}, nook:prctl(C, pr_no_such_option, 0, 0, 0, 0)),
    ?assertEqual({error, enotsup}, nook:prctl(C, pr_set_pdeathsig, signosuch, 0, 0, 0)),
    ?assertError(badarg, nook:prctl(C, "pr_get_name", <<0:128>>, 0, 0, 0)),
    ?assertError(badarg, nook:prctl(C, pr_get_name, <<0:128>>, 0, 0, 1.0)),
    %% a type error wins over an unknown name
    ?assertError(badarg, nook:prctl(C, pr_no_such_option, 1.0, 0, 0, 0)).

prctl_cstruct(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    {ok, 0, _, 0, 0, 0} = nook:prctl(C, pr_set_name, <<"nookcstruct">>, 0, 0, 0),
    %% pr_get_pdeathsig writes an int at the struct's start; the pointer fields come back
    %% as {ptr, Bytes}, {ptr, N} as N zeroed bytes
    ?assertEqual({ok, 0, [<<?SIGKILL:32/native>>, {ptr, <<0:64>>}, {ptr, <<"abc">>}], 0, 0, 0},
                 nook:prctl(C, pr_get_pdeathsig, [<<0:32>>, {ptr, 8}, {ptr, <<"abc">>}], 0, 0, 0)),
    %% inline fields are contiguous: the 16-byte name spreads over them
    ?assertEqual({ok, 0, [<<"nook">>, <<"cstruct", 0>>, <<0:32>>], 0, 0, 0},
                 nook:prctl(C, pr_get_name, [<<0:32>>, <<0:64>>, <<0:32>>], 0, 0, 0)),
    %% a pointer is word-aligned: after 1 byte, 7 of padding, so the struct is 16 bytes, all of
    %% which the name overwrites; the pointed-to bytes are still returned from nook's own copy
    ?assertEqual({ok, 0, [<<"n">>, {ptr, <<"kept">>}], 0, 0, 0},
                 nook:prctl(C, pr_get_name, [<<0>>, {ptr, <<"kept">>}], 0, 0, 0)),
    %% 64 fields and 64 KiB are allowed
    {ok, 0, Bytes, 0, 0, 0} = nook:prctl(C, pr_get_name, lists:duplicate(64, <<0>>), 0, 0, 0),
    ?assertEqual(<<"nookcstruct", 0:(53 * 8)>>, iolist_to_binary(Bytes)),
    {ok, 0, <<"nookcstruct", _/binary>>, 0, 0, 0} =
        nook:prctl(C, pr_get_name, <<0:(65536 * 8)>>, 0, 0, 0),
    %% 4 bytes, 4 of padding, a pointer: 16, and 65520 pointed to
    ?assertEqual({ok, 0, [<<?SIGKILL:32/native>>, {ptr, <<0:(65520 * 8)>>}], 0, 0, 0},
                 nook:prctl(C, pr_get_pdeathsig, [<<0:32>>, {ptr, 65520}], 0, 0, 0)),
    %% integers come back as given, the largest unsigned word and negatives included
    ?assertMatch({ok, _Dumpable, [], 16#ffffffffffffffff, -1, 7},
                 nook:prctl(C, pr_get_dumpable, [], 16#ffffffffffffffff, -1, 7)),
    %% beyond the limits, or not a cstruct at all: badarg
    Bad = [lists:duplicate(65, <<0>>), <<0:(65537 * 8)>>, [{ptr, 65536}],
           [<<0:32>>, {ptr, 65521}], %% the padding counts
           [<<0:(60000 * 8)>>, {ptr, <<0:(6000 * 8)>>}], [{ptr, -1}], [{ptr, many}],
           [{pointer, 8}], [{ptr, 8, 8}], [{ptr, [<<0>>]}], [1], "abc", [<<0>> | <<0>>],
           1 bsl 64, -(1 bsl 63) - 1, 1.0, {ptr, 8}],
    [?assertError(badarg, nook:prctl(C, pr_get_name, B, 0, 0, 0)) || B <- Bad],
    %% and the process still answers
    ?assertEqual(nook:pidof(C), nook:getpid(C)).

ptrace(Config) ->
    T = ?config(root, Config),
    {ok, Tracer} = nook:fork(T),
    %% The tracee is the tracer's sibling, not its child: the tracer's event loop would reap
    %% a ptrace stop of its own task as if it had exited.
    {ok, Tracee} = nook:fork(T),
    ok = nook:execvp(Tracee, ["sleep", "100"]),
    Pid = nook:pidof(Tracee),
    TracerPid = nook:pidof(Tracer),
    case nook:ptrace(Tracer, ptrace_attach, Pid, 0, 0) of
        {ok, 0, 0, 0} -> ptrace_attached(Tracer, TracerPid, Pid);
        {error, eperm} -> {skip, "ptrace_attach refused (eperm): no ptrace here"}
    end.

ptrace_attached(Tracer, TracerPid, Pid) ->
    ?assertEqual(TracerPid, proc_status(Pid, <<"TracerPid">>)),
    %% the attach's SIGSTOP puts the tracee in a ptrace stop
    ok = await(fun() -> proc_status(Pid, <<"State">>) =:= <<"t (tracing stop)">> end),
    {ok, 0, 0, SigInfo} = nook:ptrace(Tracer, ptrace_getsiginfo, Pid, 0, <<0:(128 * 8)>>),
    ?assertMatch(<<?SIGSTOP:32/signed-native, _/binary>>, SigInfo),
    %% an iovec: a pointer to a buffer, then its length, which the kernel sets to the regs' size
    NT_PRSTATUS = 1,
    {ok, 0, NT_PRSTATUS, [{ptr, Regs}, <<Len:64/native>>]} =
        nook:ptrace(Tracer, ptrace_getregset, Pid, NT_PRSTATUS, [{ptr, 1024}, <<1024:64/native>>]),
    ?assertEqual(1024, byte_size(Regs)),
    ?assert(Len > 0 andalso Len < 1024),
    {ok, Word, 0, 0} = nook:ptrace(Tracer, ptrace_peekuser, Pid, 0, 0),
    ?assert(is_integer(Word)),
    ?assertEqual({ok, 0, 0, 0}, nook:ptrace(Tracer, ptrace_detach, Pid, 0, 0)),
    ?assertEqual(0, proc_status(Pid, <<"TracerPid">>)),
    ?assertEqual({error, esrch}, nook:ptrace(Tracer, ptrace_detach, Pid, 0, 0)), %% not traced
    ?assertEqual({error, esrch}, nook:ptrace(Tracer, ptrace_attach, ?NO_SUCH_PID, 0, 0)),
    ?assertEqual({error, eperm}, nook:ptrace(Tracer, ptrace_attach, TracerPid, 0, 0)), %% itself
    ?assertEqual({error, enotsup}, nook:ptrace(Tracer, ptrace_nosuch, Pid, 0, 0)),
    ?assertError(badarg, nook:ptrace(Tracer, ptrace_attach, self(), 0, 0)),
    ?assertError(badarg, nook:ptrace(Tracer, ptrace_attach, Pid, 1.0, 0)),
    ?assertError(badarg, nook:ptrace(Tracer, ptrace_attach, Pid, 0, [{ptr, -1}])).

setproctitle(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    Comm = proc(nook:pidof(C), "comm"),
    ok = nook:setproctitle(C, "nook-title"),
    ?assertEqual({ok, <<"nook-title\n">>}, file:read_file(Comm)),
    %% Linux keeps the first 15 bytes
    ok = nook:setproctitle(C, [<<"abcdefghij">>, "klmnopqrstuvwxyz"]),
    ?assertEqual({ok, <<"abcdefghijklmno\n">>}, file:read_file(Comm)),
    ?assertError(badarg, nook:setproctitle(C, <<"nook", 0, "title">>)),
    ?assertError(badarg, nook:setproctitle(C, 42)).

waitpid(Config) ->
    T = ?config(root, Config),
    {ok, C} = nook:fork(T),
    Pid = nook:pidof(C),
    ?assertEqual({ok, 0, 0, []}, nook:waitpid(T, Pid, [wnohang])),
    %% nook's own reaping ignores stops and continues: they are the caller's to wait for
    ok = nook:kill(T, Pid, sigstop),
    ?assertEqual({ok, Pid, (?SIGSTOP bsl 8) bor 16#7f, [{stopsig, sigstop}]},
                 nook:waitpid(T, Pid, [wuntraced])),
    ok = nook:kill(T, Pid, sigcont),
    ?assertEqual({ok, Pid, 16#ffff, [continued]}, nook:waitpid(T, Pid, 'WCONTINUED')),
    ?assertEqual(Pid, nook:getpid(C)), %% still the task it was
    ?assertEqual({ok, 0, 0, []}, nook:waitpid(T, -1, [wnohang, wuntraced, wcontinued])),
    ?assertEqual({error, echild}, nook:waitpid(T, ?NO_SUCH_PID, [])),
    ?assertEqual({error, echild}, nook:waitpid(C, -1, [wnohang])), %% no children
    %% waitid(2)'s option: Linux's waitpid refuses it
    ?assertEqual({error, einval}, nook:waitpid(T, Pid, [wnohang, wnowait])),
    ?assertEqual({error, enotsup}, nook:waitpid(T, Pid, [wnohang, wnosuch])),
    ?assertError(badarg, nook:waitpid(T, Pid, <<"wnohang">>)),
    ?assertError(badarg, nook:waitpid(T, any, [wnohang])).

%% A task's process reaped by waitpid is reported and released as the event loop would do it.
waitpid_reaps_task(Config) ->
    T = ?config(root, Config),
    {ok, P} = nook:fork(T),
    {ok, C} = nook:fork(P),
    PPid = nook:pidof(P),
    CPid = nook:pidof(C),
    %% wchan is "0" while a process runs, and always where the kernel does not tell
    case await(fun() -> wchan(PPid) =/= <<"0">> end) of
        ok -> waitpid_reaps_task(T, P, PPid, C, CPid);
        timeout -> {skip, "/proc/PID/wchan never names where a process sleeps"}
    end.

waitpid_reaps_task(T, P, PPid, C, CPid) ->
    %% P waits in waitpid on behalf of an agent, so that this process can kill C meanwhile;
    %% C dies only once P is inside the wait, so the wait, not the event loop, reaps it
    Agent = start_agent(),
    ok = nook:controlling_process(P, Agent),
    Ref = make_ref(),
    Agent ! {run, Ref, fun() -> nook:waitpid(P, CPid, []) end},
    ok = await(fun() -> wchan(PPid) =:= <<"do_wait">> end),
    ok = nook:kill(T, CPid, sigkill),
    receive
        {Ref, Outcome} -> ?assertEqual({ok, {ok, CPid, ?SIGKILL, [{termsig, sigkill}]}}, Outcome)
    after ?TIMEOUT -> ct:fail(waitpid_did_not_return)
    end,
    receive {termsig, C, sigkill} -> ok
    after ?TIMEOUT -> ct:fail(no_termsig_for_reaped_task)
    end,
    ?assertEqual(noproc, nook:pidof(C)),
    ?assertEqual({ok, []}, run_in(Agent, fun() -> nook:cpid(P) end)),
    ?assertEqual({ok, {error, echild}}, run_in(Agent, fun() -> nook:waitpid(P, CPid, []) end)),
    Agent ! stop.

%% ---- helpers ----

proc(Pid, File) -> "/proc/" ++ integer_to_list(Pid) ++ "/" ++ File.

%% A field of /proc/PID/status: an integer when it is one, else the text.
proc_status(Pid, Field) ->
    {ok, Status} = file:read_file(proc(Pid, "status")),
    [Value] = [V || Line <- binary:split(Status, <<"\n">>, [global]),
                    [F, V] <- [binary:split(Line, <<":\t">>)], F =:= Field],
    try binary_to_integer(Value)
    catch error:badarg -> Value
    end.

%% The kernel function Pid sleeps in, without a compiler's suffix (do_wait.isra.0).
wchan(Pid) ->
    case file:read_file(proc(Pid, "wchan")) of
        {ok, W} -> hd(binary:split(W, <<".">>));
        {error, _} -> <<"0">>
    end.

%% Poll until Pred holds: ok, or timeout once the failure guard's time has passed.
await(Pred) -> await(Pred, erlang:monotonic_time(millisecond) + ?TIMEOUT).

await(Pred, Deadline) ->
    case Pred() of
        true -> ok;
        false ->
            case erlang:monotonic_time(millisecond) > Deadline of
                true -> timeout;
                false -> timer:sleep(5), await(Pred, Deadline)
            end
    end.

mkfifo(Config, Name) ->
    Path = filename:join(?config(priv_dir, Config), Name),
    "" = os:cmd("mkfifo '" ++ Path ++ "'"),
    Path.

%% A process that runs funs on request: a second owner for controlling_process/2.
start_agent() ->
    Creator = self(),
    spawn_link(fun() -> agent_loop(Creator) end).

agent_loop(Creator) ->
    receive
        {run, Ref, Fun} -> Creator ! {Ref, outcome(Fun)}, agent_loop(Creator);
        stop -> ok
    end.

run_in(Agent, Fun) ->
    Ref = make_ref(),
    Agent ! {run, Ref, Fun},
    receive {Ref, Outcome} -> Outcome
    after ?TIMEOUT -> ct:fail({agent_did_not_answer, Fun})
    end.

outcome(Fun) ->
    try {ok, Fun()}
    catch Class:Reason -> {raised, Class, Reason}
    end.
