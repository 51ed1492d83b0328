%% SPDX-License-Identifier: ISC
%% @doc Run a command under a behaviour and stream its output, feed its input, and know it
%% is gone afterwards.
%%
%% Each open stream is a process that owns the tree. Output is read from the program's pipes
%% only as the consumer asks for it: the parent process may read a window of bytes ahead of
%% the consumer and no more, so a consumer that stalls stops the reads and the program blocks
%% on its full pipe.
%%
%% Events: `{stdout, Bin}', `{stderr, Bin}', `{truncated, stdout | stderr}' (output beyond
%% `max_output' is dropped from here on), `{audit, Info}' (a call named in the behaviour's
%% `audit' option, see nook_notify), then one of `{exit_status, N}', `{termsig, Sig}',
%% `{timeout, Ms}' (the tree was stopped after Ms), `{exit, oom}' (the kernel killed it at
%% its memory limit), `{exit, max_output}' or `{exit, {nodedown, Node}}' (the link to the
%% stream's node was lost: the stream and its tree end there; recv/2 says eof next).
%%
%% Config: the behaviour's options (checked by it) plus `{stdin, Iodata}' (run/3 only),
%% `{timeout, Ms}', `{window, Bytes}' (output read ahead of the consumer, at most; 512 KiB),
%% `{max_output, Bytes}' (stdout and stderr together; infinity) with
%% `{on_max_output, truncate | kill}' (truncate), and `{kill_after, Ms}' (500): how long a
%% program has between SIGTERM and SIGKILL when a timeout or close/1,2 ends it. Half a second
%% lets a program flush and remove its files, and a caller still gets its answer at once.
%% A config is a proplist or a map; an option nobody takes, or a value of the wrong shape,
%% is `{error, {badopt, Opt}}' before anything starts.
%%
%% What the program starts with, made in the task that execs as the last steps before exec:
%% `{cd, Dir}' (its working directory; inside a container, a path inside),
%% `{env, [{Name, Value | false}]}' (set or, with false, unset on top of the behaviour's
%% environment), `{clearenv, true}' (start from an empty environment, then env),
%% `{stderr_to_stdout, true}' (its fd 2 is a copy of fd 1: both come as stdout events, in the
%% order written), `{pty, true | #{rows => R, cols => C}}' (a new pseudo-terminal of R rows
%% and C columns, 24 by 80 by default, as its controlling terminal and its 0, 1 and 2; see
%% below).
%%
%% A terminal: what the program writes to it comes as stdout events (as a terminal shows it:
%% `\n' as `\r\n', input echoed), send/2 types on it, eof/1 types its EOF character (^D:
%% at the start of a line, the end of input for a program reading lines; a program in raw
%% mode decides for itself) and leaves it open, winsize/3 resizes it (the program gets
%% SIGWINCH). nook_stream:run/3's stdin is typed, then ^D. The terminal is made by the
%% parent of the task that execs, after the behaviour's ops (so inside a container it is
%% one of the container's own /dev/pts, which `tty' names), as the last step before exec:
%% it works with trees made ready ahead of time (nook_pool). The behaviour's task must lead
%% a session (nook's do: setsid). A deny-by-default seccomp policy must allow
%% nook_seccomp:pty_rules/0 too.
%%
%% A stream opened with open/3 is a child of nook_stream_sup, in the application's tree;
%% one started with start_link/3 is linked to its caller, for a supervision tree of your own.
%%
%% Elsewhere in a cluster (see nook_cluster): `{node, Node}' starts the stream on Node,
%% `{nodes, Group}' on the node of a pg group with the most room; `node(Stream)' says where.
%% Every stream holds a place on its node, which refuses a start at its bound:
%% `{error, {max_containers, Max}}' (see nook_capacity).
-module(nook_stream).
-behaviour(gen_server).

-export([run/1, run/2, run/3, open/3, start_link/3, recv/2, send/2, send/3, eof/1, winsize/3,
         close/1, close/2, options/0, start_for/5]).
-export([init/1, handle_continue/2, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

-export_type([event/0, stream/0]).

-type event() :: {stdout, binary()} | {stderr, binary()} | {truncated, stdout | stderr}
               | {audit, nook_notify:notification()} | {exit_status, integer()} | {termsig, atom()} | {timeout, non_neg_integer()}
               | {exit, oom | max_output | {nodedown, node()}}.
-type stream() :: pid().
-type command() :: iodata() | [iodata()].

-define(WINDOW, (512 * 1024)).
-define(KILL_AFTER_MS, 500).
%% Why a call to a stream fails once it has ended: it was gone already, or it ended (closed,
%% or its owner died) while the call waited.
-define(ENDED(Reason), (Reason =:= noproc orelse Reason =:= normal)).
%% How long a timeout waits for the killed task's last output; only a guard.
-define(STOP_WAIT_MS, 5000).

-record(st, {
    tree :: nook_behaviour:tree(),
    task :: nook:task(),
    owner_ref :: reference(),
    window :: pos_integer(),
    kill_after :: non_neg_integer(),
    max_output :: non_neg_integer() | infinity,  % bytes still allowed through
    on_max_output :: truncate | kill,
    truncated = false :: boolean(),
    stopping :: {timeout, non_neg_integer()} | {close, gen_server:from()} | undefined,
    outstanding = 0 :: non_neg_integer(),   % bytes granted to the parent, not yet received
    events = [] :: [event()],            % newest first
    done = false :: boolean(),
    waiting :: {gen_server:from(), reference() | undefined} | undefined,
    sending :: {gen_server:from(), binary(), non_neg_integer(), reference() | undefined} | undefined,
    %% where stdin goes: the task's parent and the task's OS pid, asked at the first send
    stdin_to :: {nook:task() | noproc, nook:pid_t() | noproc} | undefined
}).

%% ---- run to completion ----

%% @doc Run Cmd under nook_process, collecting its events until it ends:
%% `nook_stream:run("echo hi")' is `{ok, [{stdout, <<"hi\n">>}, {exit_status, 0}]}'.
-spec run(command()) -> {ok, [event()]} | {error, term()}.
run(Cmd) -> run(Cmd, nook_process).

%% @doc Run Cmd under Behaviour (nook_process, nook_rootless, nook_container or your own),
%% with the behaviour's default config.
-spec run(command(), module()) -> {ok, [event()]} | {error, term()}.
run(Cmd, Behaviour) -> run(Cmd, Behaviour, []).

%% @doc Run Cmd under Behaviour with Config and collect its events until it ends; Config
%% may have `{stdin, Iodata}', written to the program's stdin and then closed. For example
%% `nook_stream:run("id -u; hostname", nook_rootless, [{cd, "/tmp"}])' is
%% `{ok, [{stdout, <<"65534\nnook\n">>}, {exit_status, 0}]}'. A start that fails returns
%% `{error, Reason}' and leaves nothing running.
-spec run(command(), module(), nook_behaviour:config() | map()) -> {ok, [event()]} | {error, term()}.
run(Cmd, Behaviour, Config) ->
    case open(Cmd, Behaviour, Config) of
        {ok, S} ->
            try
                feed(S, stdin_of(Config)),
                case collect(S, []) of
                    {ok, _} = Done ->
                        %% The program has ended and everything it said is here: the rest of
                        %% its tree is taken down by the stream, after the answer.
                        _ = nook_link:forget(S),
                        gen_server:cast(S, stop),
                        Done;
                    {error, _} = Lost ->
                        _ = nook_link:forget(S),
                        Lost
                end
            catch
                Class:Reason:Stack ->
                    %% Ended early: taken down before this returns.
                    close(S, 0),
                    erlang:raise(Class, Reason, Stack)
            end;
        {error, _} = Error ->
            Error
    end.

stdin_of(Config) when is_map(Config) -> maps:get(stdin, Config, undefined);
stdin_of(Config) -> proplists:get_value(stdin, Config).

feed(_S, undefined) ->
    ok;
feed(S, Data) ->
    _ = send(S, Data),
    _ = eof(S),
    ok.

collect(S, Acc) ->
    case recv(S, infinity) of
        {ok, [{exit, {nodedown, _} = Lost}]} -> {error, Lost};
        {ok, Events} -> collect(S, [Events | Acc]);
        eof -> {ok, lists:append(lists:reverse(Acc))}
    end.

%% ---- streaming ----

%% @doc Start Cmd (a shell command line, or an argv list) under Behaviour. The stream
%% belongs to the caller: it ends when the caller exits.
-spec open(command(), module(), nook_behaviour:config() | map()) -> {ok, stream()} | {error, term()}.
open(Cmd, Behaviour, Config) ->
    start_stream(open, Cmd, Behaviour, Config).

%% @doc As open/3, the stream linked to the caller: for a process of a supervision tree that
%% runs a program as long as it lives (Nook.Daemon does). A failed start returns
%% `{error, Reason}'; the process that tried has ended normally.
-spec start_link(command(), module(), nook_behaviour:config() | map()) ->
    {ok, stream()} | {error, term()}.
start_link(Cmd, Behaviour, Config) ->
    start_stream(link, Cmd, Behaviour, Config).

start_stream(How, Cmd, Behaviour, Config) ->
    case nook_options:split(options(), Config) of
        {ok, Mine, Theirs} ->
            case valid_command(Cmd) of
                true -> start_where(How, Cmd, Behaviour, Mine, Theirs);
                false -> {error, {badarg, Cmd}}
            end;
        {error, _} = Error ->
            Error
    end.

%% Here, or on a node of the cluster (nook_cluster), which calls start_for/5 there.
start_where(How, Cmd, Behaviour, Mine, Theirs) ->
    case {lists:keyfind(node, 1, Mine), lists:keyfind(nodes, 1, Mine)} of
        {false, false} when How =:= link ->
            started(gen_server:start_link(?MODULE, {supervised, {self(), Cmd, Behaviour, Mine, Theirs}}, []));
        {false, false} ->
            start_for(self(), Cmd, Behaviour, Mine, Theirs);
        {Where, false} ->
            remote(How, nook_cluster:open(Where, self(), Cmd, Behaviour, Mine, Theirs));
        {false, Where} ->
            remote(How, nook_cluster:open(Where, self(), Cmd, Behaviour, Mine, Theirs));
        {_, Nodes} ->
            {error, {badopt, Nodes}} % one or the other
    end.

remote(link, {ok, S} = Started) -> link(S), Started;
remote(_How, Started) -> Started.

%% @doc Start a stream on this node for Owner, which it watches and ends with: what open/3
%% does for its caller, and what another node's open/3 asks of this one (nook_cluster).
-spec start_for(pid(), command(), module(), nook_behaviour:config(), nook_behaviour:config()) ->
    {ok, stream()} | {error, term()}.
start_for(Owner, Cmd, Behaviour, Mine, Theirs) ->
    started(nook_stream_sup:start_stream({supervised, {Owner, Cmd, Behaviour, Mine, Theirs}})).

%% The tree is built once the stream process runs (its supervisor does not wait for it, so
%% that streams start side by side): the caller waits here. A start that fails is a returned
%% error and nothing else: the process ends normally, no crash report.
started({ok, S}) ->
    try gen_server:call(S, started, infinity) of
        ok -> {ok, S};
        {error, _} = Error -> Error
    catch
        exit:{Reason, _} when ?ENDED(Reason) -> {error, closed}
    end;
started({error, _} = Error) ->
    Error.

%% @doc The options of a stream itself; the rest go to the behaviour.
-spec options() -> nook_options:spec().
options() ->
    [{stdin, iodata}, {timeout, {integer, 0, infinity}}, {window, {integer, 1, infinity}},
     {max_output, {integer, 0, infinity}}, {on_max_output, {oneof, [truncate, kill]}},
     {kill_after, {integer, 0, 16#7ffffff}}, {node, fun erlang:is_atom/1},
     {nodes, fun erlang:is_atom/1},
     {cd, iodata}, {env, {list, fun env_entry/1}}, {clearenv, boolean},
     {stderr_to_stdout, boolean}, {pty, fun pty_option/1}].

pty_option(Pty) when is_boolean(Pty) ->
    true;
pty_option(#{} = Size) ->
    maps:size(maps:without([rows, cols], Size)) =:= 0
        andalso lists:all(fun(N) -> is_integer(N) andalso N >= 1 andalso N =< 16#ffff end,
                          maps:values(Size));
pty_option(_) ->
    false.

%% The terminal's size asked for, or none.
pty_size(Mine) ->
    case proplists:get_value(pty, Mine, false) of
        false -> none;
        true -> {24, 80};
        #{} = Size -> {maps:get(rows, Size, 24), maps:get(cols, Size, 80)}
    end.

env_entry({Name, Value}) ->
    name(Name) andalso (Value =:= false orelse nook_options:valid(iodata, chars(Value)));
env_entry(_) ->
    false.

name(Name) ->
    case chars(Name) of
        <<>> -> false;
        Bin when is_binary(Bin) -> binary:match(Bin, [<<"=">>, <<0>>]) =:= nomatch;
        _ -> false
    end.

%% A name or value as UTF-8, from a string of characters or a binary.
chars(Chars) ->
    try unicode:characters_to_binary(Chars)
    catch error:_ -> error
    end.

valid_command([Arg | _] = Argv) when is_list(Arg); is_binary(Arg) ->
    lists:all(fun(A) -> nook_options:valid(iodata, A) end, Argv);
valid_command(Cmd) ->
    nook_options:valid(iodata, Cmd) andalso iolist_size(Cmd) > 0.

%% @doc The events that came since the last recv, waiting up to Timeout for one; eof once
%% the exit has been received.
-spec recv(stream(), timeout()) -> {ok, [event()]} | eof | {error, timeout | ealready}.
recv(S, Timeout) when Timeout =:= infinity; is_integer(Timeout), Timeout >= 0 ->
    case call(S, {recv, Timeout}, eof) of
        {error, {nodedown, Node}} ->
            %% The stream ended on its node (it watches its owner): said once, then eof.
            case nook_link:tell(S) of
                true -> {ok, [{exit, {nodedown, Node}}]};
                false -> eof
            end;
        Reply ->
            Reply
    end;
recv(S, Timeout) ->
    erlang:error(badarg, [S, Timeout]).

%% @doc Write to the program's stdin; returns once every byte is in the pipe's queue.
-spec send(stream(), iodata()) -> ok | {error, term()}.
send(S, Data) -> send(S, Data, infinity).

%% @doc As send/2, giving up after Timeout ms: `{error, {timeout, Written}}'.
-spec send(stream(), iodata(), timeout()) -> ok | {error, term()}.
send(S, Data, Timeout) when Timeout =:= infinity; is_integer(Timeout), Timeout >= 0 ->
    call(S, {send, iolist_to_binary(Data), Timeout}, {error, closed});
send(S, Data, Timeout) ->
    erlang:error(badarg, [S, Data, Timeout]).

%% @doc Close the program's stdin once what was sent has been written; on a terminal
%% (`pty'), type its EOF character (^D) after it.
-spec eof(stream()) -> ok | {error, term()}.
eof(S) -> call(S, eof, {error, closed}).

%% @doc Resize the program's terminal (`pty') to Rows by Cols; it gets SIGWINCH.
%% `{error, enotty}' for a stream without a terminal.
-spec winsize(stream(), 0..65535, 0..65535) -> ok | {error, term()}.
winsize(S, Rows, Cols) when is_integer(Rows), Rows >= 0, Rows =< 16#ffff, is_integer(Cols),
                            Cols >= 0, Cols =< 16#ffff ->
    call(S, {winsize, Rows, Cols}, {error, closed}).

%% A call to the stream: Ended if it has ended, `{error, {nodedown, Node}}' if the link to
%% its node was lost (it ended there then), whether before the call or during it.
call(S, Request, Ended) ->
    case nook_link:check(S) of
        up ->
            try gen_server:call(S, Request, infinity)
            catch
                exit:{Reason, _} when ?ENDED(Reason) ->
                    case nook_link:check(S) of
                        up -> Ended;
                        lost -> {error, {nodedown, node(S)}}
                    end;
                exit:{{nodedown, Node}, _} ->
                    {error, {nodedown, Node}}
            end;
        lost ->
            {error, {nodedown, node(S)}}
    end.

%% @doc End the stream: a program still running gets SIGTERM, then SIGKILL after the
%% stream's `kill_after'; onexit runs, the tree is killed and reaped.
-spec close(stream()) -> ok.
close(S) -> close(S, default).

%% @doc As close/1, with KillAfter ms between SIGTERM and SIGKILL (0: SIGKILL at once).
-spec close(stream(), non_neg_integer() | default) -> ok.
close(S, KillAfter) when KillAfter =:= default; is_integer(KillAfter), KillAfter >= 0 ->
    case nook_link:forget(S) of
        up -> end_stream(S, KillAfter);
        lost -> ok % it ended on its node when the link was lost
    end.

end_stream(S, KillAfter) ->
    try gen_server:call(S, {close, KillAfter}, infinity)
    catch exit:_ -> ok
    end,
    %% Gone once close returns, whoever ended it.
    try gen_server:stop(S)
    catch exit:_ -> ok
    end.

%% ---- the stream process ----

%% @private
-spec init({supervised, {pid(), command(), module(), nook_behaviour:config(),
                         nook_behaviour:config()}} | term()) ->
    {ok, {starting, tuple()}, {continue, start}} | {stop, badarg}.
init({supervised, {_Owner, Cmd, Behaviour, _Mine, _Config} = Args}) ->
    process_flag(trap_exit, true),
    %% What observer shows of the process (and proc_lib:get_label/1 from OTP 27 on).
    put('$process_label', {?MODULE, Behaviour, label(Cmd)}),
    {ok, {starting, Args}, {continue, start}};
init(_) ->
    {stop, badarg}. % streams start through open/3 and start_link/3

%% @private
-spec handle_continue(start, {starting, tuple()}) -> {noreply, #st{} | {failed, term()}}.
handle_continue(start, {starting, {Owner, Cmd, Behaviour, Mine, Config}}) ->
    case start(Owner, Cmd, Behaviour, Mine, Config) of
        {ok, St} ->
            {noreply, St};
        {error, Reason} ->
            %% Kept for the caller's `started' call, unless the caller is gone (start/5
            %% watches it).
            {noreply, {failed, Reason}}
    end.

label(Cmd) ->
    try iolist_to_binary(lists:join(" ", argv_words(Cmd)))
    catch error:_ -> Cmd
    end.

argv_words([Arg | _] = Argv) when is_list(Arg); is_binary(Arg) -> Argv;
argv_words(Cmd) -> [Cmd].

%% The owner is watched from the first moment: an owner on another node may die, or its link
%% be lost, while the tree is built, and the tree must not outlive it.
start(Owner, Cmd, Behaviour, Mine, Config) ->
    OwnerRef = monitor(process, Owner),
    case nook_capacity:claim() of
        ok -> build(OwnerRef, Cmd, Behaviour, Mine, Config);
        {error, _} = Error -> Error
    end.

build(OwnerRef, Cmd, Behaviour, Mine, Config) ->
    case nook_behaviour:start(Behaviour, Config) of
        {ok, #{config := Checked} = Tree} ->
            Task = nook_behaviour:exec_task(Tree),
            St = #st{tree = Tree, task = Task, owner_ref = OwnerRef,
                     window = proplists:get_value(window, Mine, ?WINDOW),
                     kill_after = proplists:get_value(kill_after, Mine, ?KILL_AFTER_MS),
                     max_output = proplists:get_value(max_output, Mine, infinity),
                     on_max_output = proplists:get_value(on_max_output, Mine, truncate)},
            case exec(Cmd, Behaviour, Mine, Checked, St) of
                {ok, St1} ->
                    _ = start_timer(Mine),
                    {ok, St1};
                {error, _} = Error ->
                    nook_behaviour:stop(Tree),
                    Error
            end;
        {error, _} = Error ->
            Error
    end.

%% Output is paused before exec (nook_behaviour:start/2); a window of it is granted with the
%% exec (the parent takes the credit before it relays the exec), so that what the program
%% says, and its end, go up as they happen rather than at the consumer's first read. A task
%% that dies in the attempt is an error like another.
exec(Cmd, Behaviour, Mine, Config, #st{task = Task} = St) ->
    case before_exec(Task, Mine) of
        ok ->
            St1 = send_credit(St),
            try execve(Task, argv(Cmd), environ(Behaviour, Mine, Config)) of
                ok -> {ok, St1};
                {error, _} = Error -> Error
            catch
                error:{Exit, _} = Reason when Exit =:= exit_status; Exit =:= termsig ->
                    {error, {exec, Reason}};
                error:badpid -> {error, {exec, badpid}};
                exit:{Reason, _} when ?ENDED(Reason) -> {error, {exec, Reason}}
            end;
        {error, _} = Error ->
            Error
    end.

%% The working directory, the merge of stderr into stdout, the terminal: after the
%% behaviour's ops (a container's path is one inside it), in one round trip once the parent
%% has made the terminal.
before_exec(Task, Mine) ->
    case terminal(Task, pty_size(Mine)) of
        {ok, Terminal} ->
            Ops = [case proplists:get_value(cd, Mine) of
                       undefined -> [];
                       Cd -> step({cd, Cd}, [{chdir, [Cd]}])
                   end,
                   case proplists:get_value(stderr_to_stdout, Mine, false) of
                       %% a terminal is 1 and 2 already
                       true when Terminal =:= [] ->
                           step({stderr_to_stdout}, [{close, [2]}, {fcntl, [1, f_dupfd, 2]}]);
                       _ ->
                           []
                   end,
                   step({pty}, Terminal)],
            case nook_op:run(Task, Ops) of
                {ok, _} -> ok;
                {error, Failure} -> {error, nook_behaviour:describe(Failure)}
            end;
        {error, _} = Error ->
            Error
    end.

%% Plain calls whose failure reads as Step with the reason added (nook_behaviour:describe/1).
step(Step, Calls) ->
    [{nook, Call, Args, [{label, {step, Step}}]} || {Call, Args} <- lists:flatten(Calls)].

%% A terminal made by the task's parent (nook:pty/1), then the ops that make it the task's
%% controlling terminal, of the size asked for, and its 0, 1 and 2.
terminal(_Task, none) ->
    {ok, []};
terminal(Task, {Rows, Cols}) ->
    try nook:pty(Task) of
        {ok, Path} ->
            %% struct winsize: rows, columns, then two unused shorts
            Size = <<Rows:16/native, Cols:16/native, 0:32>>,
            {ok, [{open, [Path, [o_rdwr, o_noctty, o_cloexec], 0]},
                  {ioctl, [nook_op:result(1), tiocsctty, 0]},
                  {ioctl, [nook_op:result(2), tiocswinsz, Size]},
                  [{dup2, [nook_op:result(N), Fd]} || {N, Fd} <- [{3, 0}, {4, 1}, {5, 2}]],
                  {close, [nook_op:result(6)]}]};
        {error, Posix} ->
            {error, {pty, Posix}}
    catch
        error:Reason -> {error, {pty, Reason}}
    end.

%% Call, a call on the program's task: `{error, closed}' if the program has exited with its
%% news still on the way (the task is gone, or ends while the call waits).
task_call(Call) ->
    try Call()
    catch
        exit:{Reason, _} when ?ENDED(Reason) -> {error, closed};
        error:{Exit, _} when Exit =:= exit_status; Exit =:= termsig -> {error, closed};
        error:badpid -> {error, closed}
    end.

%% The first of the ways to run the command that the kernel takes.
execve(Task, [{Path, Argv} | Else], Env) ->
    case {nook:execve(Task, Path, Argv, Env), Else} of
        {ok, _} -> ok;
        {{error, Reason}, []} -> {error, {exec, Reason}};
        {{error, _}, _} -> execve(Task, Else, Env)
    end.

%% The ways to run Cmd, in turn. An argv list: the shell finds the program on the new PATH,
%% then gets out of the way; one whose program is a path needs no search and is run
%% directly, with the shell only where the kernel refuses (a script with no #!, a file
%% missing or not executable: the shell says why, with its exit status, as for a name).
argv([Arg | _] = Argv) when is_list(Arg); is_binary(Arg) ->
    Shell = {"/bin/sh", ["/bin/sh", "-c", "exec \"$@\"", "sh" | Argv]},
    case string:find(Arg, "/") of
        nomatch -> [Shell];
        _ -> [{Arg, Argv}, Shell]
    end;
argv(Cmd) ->
    [{"/bin/sh", ["/bin/sh", "-c", Cmd]}].

environ(Behaviour, Mine, Config) ->
    Base = case proplists:get_value(clearenv, Mine, false) of
               true -> [];
               false -> base_environ(Behaviour, Config)
           end,
    set_env(Base, proplists:get_value(env, Mine, [])).

base_environ(Behaviour, Config) ->
    case proplists:get_value(environ, Config) of
        undefined ->
            case erlang:function_exported(Behaviour, environ, 1) of
                true -> Behaviour:environ(Config);
                false -> os:getenv() % "K=V" each, as execve takes them
            end;
        Env ->
            Env
    end.

%% Each {Name, Value} replaces Name's entry, or adds one after the others; {Name, false}
%% removes it.
set_env(Environ, []) ->
    Environ;
set_env(Environ, [{Name, Value} | Rest]) ->
    Key = <<(chars(Name))/binary, "=">>,
    Kept = [E || E <- Environ, not is_entry(Key, E)],
    case Value of
        false -> set_env(Kept, Rest);
        _ -> set_env(Kept ++ [<<Key/binary, (chars(Value))/binary>>], Rest)
    end.

is_entry(Key, Entry) ->
    Size = byte_size(Key),
    case iolist_to_binary(Entry) of
        <<Key:Size/binary, _/binary>> -> true;
        _ -> false
    end.

start_timer(Config) ->
    case proplists:get_value(timeout, Config) of
        Ms when is_integer(Ms), Ms >= 0 -> erlang:send_after(Ms, self(), {time_out, Ms});
        _ -> ok
    end.

%% @private
-spec handle_call(term(), gen_server:from(), #st{} | {failed, term()}) ->
    {reply, term(), #st{}} | {noreply, #st{}} | {stop, normal, term(), {failed, term()}}.
handle_call(started, _From, {failed, Reason} = Failed) ->
    {stop, normal, {error, Reason}, Failed};
handle_call(started, _From, St) ->
    {reply, ok, St};
handle_call(_Request, _From, {failed, Reason} = Failed) ->
    {stop, normal, {error, Reason}, Failed};
handle_call({recv, _}, _From, #st{events = [], done = true} = St) ->
    {reply, eof, St};
handle_call({recv, _}, _From, #st{events = [_ | _]} = St) ->
    deliver(St);
handle_call({recv, _}, _From, #st{waiting = {_, _}} = St) ->
    {reply, {error, ealready}, St};
handle_call({recv, Timeout}, From, St) ->
    Timer = case Timeout of
                infinity -> undefined;
                _ -> erlang:send_after(Timeout, self(), recv_timeout)
            end,
    {noreply, grant(St#st{waiting = {From, Timer}})};
handle_call({send, _, _}, _From, #st{done = true} = St) ->
    {reply, {error, closed}, St};
handle_call({send, Data, Timeout}, From, St) ->
    Timer = case Timeout of
                infinity -> undefined;
                _ -> erlang:send_after(Timeout, self(), send_timeout)
            end,
    {noreply, push_stdin(St#st{sending = {From, Data, 0, Timer}})};
handle_call(eof, _From, #st{done = true} = St) ->
    {reply, {error, closed}, St};
handle_call(eof, _From, #st{task = Task} = St) ->
    {reply, task_call(fun() -> nook:eof(Task) end), St};
handle_call({winsize, _, _}, _From, #st{done = true} = St) ->
    {reply, {error, closed}, St};
handle_call({winsize, Rows, Cols}, _From, #st{task = Task} = St) ->
    {reply, task_call(fun() -> nook:winsize(Task, Rows, Cols) end), St};
handle_call({close, _}, _From, #st{done = true} = St) ->
    {reply, ok, St};
handle_call({close, _}, _From, #st{stopping = {_, _}} = St) ->
    {reply, ok, St}; % ending already; stop/1 kills what is left
handle_call({close, KillAfter}, From, St) ->
    Ms = case KillAfter of default -> St#st.kill_after; _ -> KillAfter end,
    case Ms of
        0 -> {reply, ok, St};
        _ -> {noreply, terminate_gracefully({close, From}, Ms, St)}
    end.

%% @private
-spec handle_cast(term(), #st{}) -> {noreply, #st{}} | {stop, normal, #st{}}.
handle_cast(stop, St) ->
    {stop, normal, St};
handle_cast(_Msg, St) ->
    {noreply, St}.

%% @private
-spec handle_info(term(), #st{} | {failed, term()}) ->
    {noreply, #st{} | {failed, term()}} | {stop, term(), #st{} | {failed, term()}}.
handle_info({'DOWN', _, process, _, _}, {failed, _} = Failed) ->
    {stop, normal, Failed};
handle_info(_Info, {failed, _} = Failed) ->
    {noreply, Failed};
handle_info({Stream, Task, Bin}, #st{task = Task} = St) when Stream =:= stdout; Stream =:= stderr ->
    output(Stream, Bin, St#st{outstanding = max(St#st.outstanding - byte_size(Bin), 0)});
handle_info({audit, Task, Info}, #st{task = Task, done = false} = St) ->
    %% A call `{audit, Syscalls}' reported (nook_notify), in order with the output.
    event({audit, Info}, St);
handle_info({exit_status, Task, N}, #st{task = Task} = St) ->
    ended({exit_status, N}, St);
handle_info({termsig, Task, Sig}, #st{task = Task} = St) ->
    ended({termsig, Sig}, St);
handle_info({stdin, Task, ready}, #st{task = Task} = St) ->
    {noreply, push_stdin(St)};
handle_info({stdin, Task, {error, Reason}}, #st{task = Task, sending = {From, _, Written, Timer}} = St) ->
    %% The program closed its stdin (epipe): what it did not take is reported, not waited for.
    cancel(Timer),
    gen_server:reply(From, {error, {error_reason(Reason), Written}}),
    {noreply, St#st{sending = undefined}};
handle_info({stdin, Task, {error, _}}, #st{task = Task} = St) ->
    {noreply, St};
handle_info({time_out, Ms}, #st{done = false, stopping = undefined, kill_after = 0} = St) ->
    finished({timeout, Ms}, kill_tree(St));
handle_info({time_out, Ms}, #st{done = false, stopping = undefined, kill_after = KillAfter} = St) ->
    {noreply, terminate_gracefully({timeout, Ms}, KillAfter, St)};
handle_info(grace_over, #st{done = false, stopping = {timeout, Ms}} = St) ->
    finished({timeout, Ms}, kill_tree(St));
handle_info(grace_over, #st{done = false, stopping = {close, From}} = St) ->
    gen_server:reply(From, ok),
    {noreply, St#st{stopping = undefined}};
handle_info(recv_timeout, #st{waiting = {From, _}} = St) ->
    gen_server:reply(From, {error, timeout}),
    {noreply, St#st{waiting = undefined}};
handle_info(send_timeout, #st{sending = {From, _, Written, _}} = St) ->
    gen_server:reply(From, {error, {timeout, Written}}),
    {noreply, St#st{sending = undefined}};
handle_info({'DOWN', Ref, process, _, _}, #st{owner_ref = Ref} = St) ->
    {stop, normal, St};
handle_info({'EXIT', _, _}, St) ->
    %% The supervisor's root task went away: the tree is gone; what was said stays readable.
    finished_quietly(St);
handle_info(_Other, St) ->
    {noreply, St}.

%% @private
-spec terminate(term(), #st{} | {failed, term()} | {starting, tuple()}) -> ok.
terminate(_Reason, #st{tree = Tree}) ->
    nook_behaviour:stop(Tree);
terminate(_Reason, _NotStarted) ->
    ok.

%% ---- ending ----

%% SIGTERM to every process of the tree; SIGKILL (the tree stopped) after Ms unless it ends.
terminate_gracefully(Why, Ms, #st{tree = Tree} = St) ->
    _ = nook_behaviour:signal(Tree, sigterm),
    erlang:send_after(Ms, self(), grace_over),
    St#st{stopping = Why}.

kill_tree(#st{tree = Tree, task = Task} = St) ->
    Ref = monitor(process, Task),
    nook_behaviour:stop(Tree),
    last_output(Task, Ref, St).

%% The program ended: as it said, unless a timeout ended it, or the kernel did at the memory
%% limit.
ended(_Exit, #st{stopping = {timeout, Ms}} = St) ->
    finished({timeout, Ms}, St);
ended(Exit, #st{stopping = {close, From}} = St) ->
    gen_server:reply(From, ok),
    finished(cause(Exit, St), St#st{stopping = undefined});
ended(Exit, St) ->
    finished(cause(Exit, St), St).

cause({exit_status, 0} = Exit, _St) ->
    Exit;
cause(Exit, #st{tree = Tree}) ->
    case nook_cgroup:oom_killed(maps:get(cgroup, nook_behaviour:info(Tree), none)) of
        true -> {exit, oom};
        false -> Exit
    end.

%% ---- output ----

%% Output past max_output is cut: dropped from there on (while the program goes on, its
%% reads granted), or the end of the program.
output(_Stream, _Bin, #st{done = true} = St) ->
    {noreply, St};
output(Stream, Bin, St) ->
    case take(Stream, Bin, St) of
        {St1, kept} -> notify(St1);
        {St1, dropped} -> {noreply, grant_dropped(St1)};
        {#st{on_max_output = kill} = St1, cut} -> finished({exit, max_output}, kill_tree(St1));
        {St1, cut} -> notify(grant_dropped(St1))
    end.

%% Output into the events, as much as max_output lets through.
take(_Stream, _Bin, #st{truncated = true} = St) ->
    {St, dropped};
take(Stream, Bin, #st{max_output = infinity} = St) ->
    {St#st{events = [{Stream, Bin} | St#st.events]}, kept};
take(Stream, Bin, #st{max_output = Left} = St) when byte_size(Bin) =< Left ->
    {St#st{events = [{Stream, Bin} | St#st.events], max_output = Left - byte_size(Bin)}, kept};
take(Stream, Bin, #st{max_output = Left, on_max_output = OnMax} = St) ->
    <<Kept:Left/binary, _/binary>> = Bin,
    Said = [{truncated, Stream} || OnMax =:= truncate] ++ [{Stream, Kept} || Left > 0],
    {St#st{events = Said ++ St#st.events, max_output = 0, truncated = true}, cut}.

notify(#st{waiting = undefined} = St) -> {noreply, St};
notify(St) -> deliver_waiting(St).

%% Dropped output is read on: the credit goes back up without waiting for the consumer.
grant_dropped(#st{outstanding = Out, window = W, done = false} = St) when Out =< W div 2 ->
    send_credit(St);
grant_dropped(St) ->
    St.

event(Event, St) ->
    notify(St#st{events = [Event | St#st.events]}).

%% The output the task relayed before it ended, which the tree's end overtook: it goes before
%% the timeout, and nothing comes after.
last_output(Task, Ref, St) ->
    receive
        {Stream, Task, Bin} when Stream =:= stdout; Stream =:= stderr ->
            {St1, _} = take(Stream, Bin, St),
            last_output(Task, Ref, St1);
        {'DOWN', Ref, process, Task, _} ->
            St
    after ?STOP_WAIT_MS ->
        demonitor(Ref, [flush]),
        St
    end.

finished(_Exit, #st{done = true} = St) ->
    %% The exit of a tree we killed on timeout: the consumer was told already.
    {noreply, St};
finished(Exit, St) ->
    St1 = fail_send(St#st{done = true}),
    event(Exit, St1).

finished_quietly(#st{done = true} = St) -> {noreply, St};
finished_quietly(St) -> {noreply, end_recv(fail_send(St#st{done = true}))}.

%% No exit will come: a consumer waiting (with nothing buffered, or it would have it) is at
%% the end.
end_recv(#st{waiting = undefined} = St) ->
    St;
end_recv(#st{waiting = {From, Timer}, events = []} = St) ->
    cancel(Timer),
    gen_server:reply(From, eof),
    St#st{waiting = undefined}.

fail_send(#st{sending = undefined} = St) ->
    St;
fail_send(#st{sending = {From, _, Written, Timer}} = St) ->
    cancel(Timer),
    gen_server:reply(From, {error, {closed, Written}}),
    St#st{sending = undefined}.

deliver(St) ->
    Events = lists:reverse(St#st.events),
    {reply, {ok, Events}, grant(St#st{events = []})}.

deliver_waiting(#st{waiting = {From, Timer}} = St) ->
    cancel(Timer),
    gen_server:reply(From, {ok, lists:reverse(St#st.events)}),
    {noreply, grant(St#st{events = [], waiting = undefined})}.

%% Once the consumer has taken what was read and half the window has come in, top the
%% parent's byte credit up to a window: never more than a window is unconsumed.
grant(#st{done = true} = St) ->
    St;
grant(#st{events = [], outstanding = Out, window = W} = St) when Out =< W div 2 ->
    send_credit(St);
grant(St) ->
    St.

%% The parent process takes the credit without an answer: a round trip per window would
%% cost the consumer its reads. A parent that is gone has no reads left to make.
send_credit(#st{outstanding = Out, task = Task, window = W} = St) ->
    ok = nook_task:cast_via_parent(Task, setcpid, [flowcontrol_grant, W - Out]),
    St#st{outstanding = W}.

%% ---- input ----

push_stdin(#st{sending = undefined} = St) ->
    St;
push_stdin(#st{sending = {From, Data, Written, Timer}} = St0) ->
    #st{stdin_to = {Parent, Pid}} = St = stdin_to(St0),
    case catch nook:call(Parent, stdin_write, [Pid, Data]) of
        {ok, N} when N =:= byte_size(Data) ->
            cancel(Timer),
            gen_server:reply(From, ok),
            St#st{sending = undefined};
        {ok, N} ->
            <<_:N/binary, Rest/binary>> = Data,
            St#st{sending = {From, Rest, Written + N, Timer}};
        {error, Reason} ->
            cancel(Timer),
            gen_server:reply(From, {error, {Reason, Written}}),
            St#st{sending = undefined};
        {'EXIT', _} ->
            cancel(Timer),
            gen_server:reply(From, {error, {closed, Written}}),
            St#st{sending = undefined}
    end.

stdin_to(#st{stdin_to = undefined, task = Task} = St) ->
    St#st{stdin_to = {nook:parent(Task), nook:pidof(Task)}};
stdin_to(St) ->
    St.

error_reason({Reason, _Written}) -> Reason;
error_reason(Reason) -> Reason.

cancel(undefined) -> ok;
cancel(Timer) -> _ = erlang:cancel_timer(Timer), ok.
