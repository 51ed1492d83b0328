%% SPDX-License-Identifier: ISC
%% @doc Run a command under a behaviour and stream its output, feed its input, and know it
%% is gone afterwards.
%%
%% Each open stream is a process that owns the tree. Output is read from the program's pipes
%% only as the consumer asks for it: the parent process may read a window of bytes ahead of
%% the consumer and no more, so a consumer that stalls stops the reads and the program blocks
%% on its full pipe.
%%
%% Events: `{stdout, Bin}', `{stderr, Bin}', then one of `{exit_status, N}',
%% `{termsig, Sig}' or `{timeout, Ms}' (the tree was killed after Ms). Config: the
%% behaviour's options plus `{stdin, Iodata}' (run/3 only), `{timeout, Ms}',
%% `{window, Bytes}' (output read ahead of the consumer, at most; 512 KiB).
-module(nook_stream).
-behaviour(gen_server).

-export([run/1, run/2, run/3, open/3, recv/2, send/2, send/3, eof/1, close/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

-export_type([event/0, stream/0]).

-type event() :: {stdout, binary()} | {stderr, binary()} | {exit_status, integer()}
               | {termsig, atom()} | {timeout, non_neg_integer()}.
-type stream() :: pid().
-type command() :: iodata() | [iodata()].

-define(WINDOW, (512 * 1024)).
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
    outstanding = 0 :: non_neg_integer(),   % bytes granted to the parent, not yet received
    events = [] :: [event()],            % newest first
    done = false :: boolean(),
    waiting :: {gen_server:from(), reference() | undefined} | undefined,
    sending :: {gen_server:from(), binary(), non_neg_integer(), reference() | undefined} | undefined
}).

%% ---- run to completion ----

-spec run(command()) -> {ok, [event()]} | {error, term()}.
run(Cmd) -> run(Cmd, nook_process).

-spec run(command(), module()) -> {ok, [event()]} | {error, term()}.
run(Cmd, Behaviour) -> run(Cmd, Behaviour, []).

%% @doc Run Cmd and collect its events until it ends.
-spec run(command(), module(), nook_behaviour:config()) -> {ok, [event()]} | {error, term()}.
run(Cmd, Behaviour, Config) ->
    case open(Cmd, Behaviour, Config) of
        {ok, S} ->
            try
                feed(S, proplists:get_value(stdin, Config)),
                {ok, collect(S, [])}
            after
                close(S)
            end;
        {error, _} = Error ->
            Error
    end.

feed(_S, undefined) ->
    ok;
feed(S, Data) ->
    _ = send(S, Data),
    _ = eof(S),
    ok.

collect(S, Acc) ->
    case recv(S, infinity) of
        {ok, Events} -> collect(S, [Events | Acc]);
        eof -> lists:append(lists:reverse(Acc))
    end.

%% ---- streaming ----

%% @doc Start Cmd (a shell command line, or an argv list) under Behaviour.
-spec open(command(), module(), nook_behaviour:config()) -> {ok, stream()} | {error, term()}.
open(Cmd, Behaviour, Config) ->
    gen_server:start(?MODULE, {self(), Cmd, Behaviour, Config}, []).

%% @doc The events that came since the last recv, waiting up to Timeout for one; eof once
%% the exit has been received.
-spec recv(stream(), timeout()) -> {ok, [event()]} | eof | {error, timeout | ealready}.
recv(S, Timeout) ->
    try gen_server:call(S, {recv, Timeout}, infinity)
    catch exit:{Reason, _} when ?ENDED(Reason) -> eof
    end.

%% @doc Write to the program's stdin; returns once every byte is in the pipe's queue.
-spec send(stream(), iodata()) -> ok | {error, term()}.
send(S, Data) -> send(S, Data, infinity).

%% @doc As send/2, giving up after Timeout ms: `{error, {timeout, Written}}'.
-spec send(stream(), iodata(), timeout()) -> ok | {error, term()}.
send(S, Data, Timeout) ->
    try gen_server:call(S, {send, iolist_to_binary(Data), Timeout}, infinity)
    catch exit:{Reason, _} when ?ENDED(Reason) -> {error, closed}
    end.

%% @doc Close the program's stdin once what was sent has been written.
-spec eof(stream()) -> ok | {error, term()}.
eof(S) ->
    try gen_server:call(S, eof, infinity)
    catch exit:{Reason, _} when ?ENDED(Reason) -> {error, closed}
    end.

%% @doc End the stream: onexit runs, the tree is killed and reaped.
-spec close(stream()) -> ok.
close(S) ->
    try gen_server:stop(S)
    catch exit:_ -> ok
    end.

%% ---- the stream process ----

-spec init({pid(), command(), module(), nook_behaviour:config()}) -> {ok, #st{}} | {stop, term()}.
init({Owner, Cmd, Behaviour, Config}) ->
    process_flag(trap_exit, true),
    case nook_behaviour:start(Behaviour, Config) of
        {ok, Tree} ->
            Task = nook_behaviour:exec_task(Tree),
            case exec(Task, Cmd, environ(Behaviour, Config)) of
                ok ->
                    St = #st{tree = Tree, task = Task, owner_ref = monitor(process, Owner),
                             window = proplists:get_value(window, Config, ?WINDOW)},
                    _ = start_timer(Config),
                    {ok, St};
                {error, Reason} ->
                    nook_behaviour:stop(Tree),
                    {stop, {exec, Reason}}
            end;
        {error, Reason} ->
            {stop, Reason}
    end.

%% Output is paused before exec, so nothing is read until the consumer asks.
exec(Task, Cmd, Env) ->
    case nook:setcpid(Task, flowcontrol_bytes, 0) of
        true ->
            {Path, Argv} = argv(Cmd),
            nook:execve(Task, Path, Argv, Env);
        false ->
            {error, no_flow_control}
    end.

argv([Arg | _] = Argv) when is_list(Arg); is_binary(Arg) ->
    %% An argv list: the shell only finds the program on the new PATH, then gets out of
    %% the way.
    {"/bin/sh", ["/bin/sh", "-c", "exec \"$@\"", "sh" | Argv]};
argv(Cmd) ->
    {"/bin/sh", ["/bin/sh", "-c", Cmd]}.

environ(Behaviour, Config) ->
    case proplists:get_value(environ, Config) of
        undefined ->
            case erlang:function_exported(Behaviour, environ, 1) of
                true -> Behaviour:environ(Config);
                false -> [K ++ "=" ++ V || {K, V} <- os:env()]
            end;
        Env ->
            Env
    end.

start_timer(Config) ->
    case proplists:get_value(timeout, Config) of
        Ms when is_integer(Ms), Ms >= 0 -> erlang:send_after(Ms, self(), {kill_after, Ms});
        _ -> ok
    end.

-spec handle_call(term(), gen_server:from(), #st{}) -> {reply, term(), #st{}} | {noreply, #st{}}.
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
    %% The program may have exited with its news still on the way: the task is gone, or
    %% ends while the call waits.
    Reply = try nook:eof(Task)
            catch
                exit:{Reason, _} when ?ENDED(Reason) -> {error, closed};
                error:{Exit, _} when Exit =:= exit_status; Exit =:= termsig -> {error, closed};
                error:badpid -> {error, closed}
            end,
    {reply, Reply, St}.

-spec handle_cast(term(), #st{}) -> {noreply, #st{}}.
handle_cast(_Msg, St) ->
    {noreply, St}.

-spec handle_info(term(), #st{}) -> {noreply, #st{}} | {stop, term(), #st{}}.
handle_info({Stream, Task, Bin}, #st{task = Task} = St) when Stream =:= stdout; Stream =:= stderr ->
    event({Stream, Bin}, St#st{outstanding = max(St#st.outstanding - byte_size(Bin), 0)});
handle_info({exit_status, Task, N}, #st{task = Task} = St) ->
    finished({exit_status, N}, St);
handle_info({termsig, Task, Sig}, #st{task = Task} = St) ->
    finished({termsig, Sig}, St);
handle_info({stdin, Task, ready}, #st{task = Task} = St) ->
    {noreply, push_stdin(St)};
handle_info({stdin, Task, {error, Reason}}, #st{task = Task, sending = {From, _, Written, Timer}} = St) ->
    %% The program closed its stdin (epipe): what it did not take is reported, not waited for.
    cancel(Timer),
    gen_server:reply(From, {error, {error_reason(Reason), Written}}),
    {noreply, St#st{sending = undefined}};
handle_info({stdin, Task, {error, _}}, #st{task = Task} = St) ->
    {noreply, St};
handle_info({kill_after, Ms}, #st{done = false, tree = Tree, task = Task} = St) ->
    Ref = monitor(process, Task),
    nook_behaviour:stop(Tree),
    finished({timeout, Ms}, last_output(Task, Ref, St));
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

-spec terminate(term(), #st{}) -> ok.
terminate(_Reason, #st{tree = Tree}) ->
    nook_behaviour:stop(Tree).

%% ---- output ----

event(Event, St) ->
    St1 = St#st{events = [Event | St#st.events]},
    case St1#st.waiting of
        undefined -> {noreply, St1};
        _ -> deliver_waiting(St1)
    end.

%% The output the task relayed before it ended, which the tree's end overtook: it goes before
%% the timeout, and nothing comes after.
last_output(Task, Ref, St) ->
    receive
        {Stream, Task, Bin} when Stream =:= stdout; Stream =:= stderr ->
            last_output(Task, Ref, St#st{events = [{Stream, Bin} | St#st.events]});
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
grant(#st{events = [], outstanding = Out, task = Task, window = W} = St) when Out =< W div 2 ->
    case nook:setcpid(Task, flowcontrol_grant, W - Out) of
        true -> St#st{outstanding = W};
        false -> St
    end;
grant(St) ->
    St.

%% ---- input ----

push_stdin(#st{sending = undefined} = St) ->
    St;
push_stdin(#st{sending = {From, Data, Written, Timer}, task = Task} = St) ->
    Parent = nook:parent(Task),
    case catch nook:call(Parent, stdin_write, [nook:pidof(Task), Data]) of
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

error_reason({Reason, _Written}) -> Reason;
error_reason(Reason) -> Reason.

cancel(undefined) -> ok;
cancel(Timer) -> _ = erlang:cancel_timer(Timer), ok.
