%% SPDX-License-Identifier: ISC
%% @doc One gen_statem per OS process of a nook tree: states `call' (the process runs the
%% nook event loop and takes calls) and `exec' (it became a program; only its stdio flows).
%%
%% A task sends its requests to the port itself and gets replies and events from nook_port,
%% routed by pipeline. Every request carries an id; a reply whose id is not pending is dropped.
-module(nook_task).
-behaviour(gen_statem).

-export([start_root/1, call/3, request/2, requests/2, cast/2, cast_via_parent/3, check/1]).
-export([init/1, callback_mode/0, handle_event/4, terminate/3]).

%% How long stop/1 waits for the parent to report that the killed process was reaped.
-define(REAP_WAIT_MS, 10000).
%% The request id of a call nobody waits for (no task has it pending: its reply is dropped).
-define(UNANSWERED, 16#ffffffff).
%% stdin/2 data is sent in pieces no larger than this.
-define(STDIN_CHUNK, (1 bsl 20)).

-type from() :: gen_statem:from().
-type pending() :: {call, from()} | {fork, from(), pid()} | {exec, from()} | {reexec, from()}
                 | {relay, from()}.

-record(data, {
    server :: pid(),
    port :: port(),
    pipeline :: [nook:pid_t()],
    owner :: pid(),
    owner_ref :: reference(),
    creator :: pid() | undefined,
    stdio :: pid(),
    notify :: pid() | undefined,   % where seccomp notifications go; the owner if undefined
    parent :: pid() | undefined,
    children = #{} :: #{pid() => nook:pid_t()},
    pending = #{} :: #{non_neg_integer() => pending()},
    next_id = 1 :: non_neg_integer(),
    parent_gone = false :: boolean(),
    exited = false :: boolean(),
    %% prx's atexit/2 and sigaction/3 funs, run in a process of their own (see run_apart/1)
    atexit :: fun((pid(), [nook:pid_t()], map()) -> term()) | undefined,
    signal_funs = #{} :: #{atom() => fun((pid(), [nook:pid_t()], atom(), binary()) -> term())}
}).

%% @doc Start a port and its root task, linked to the caller.
-spec start_root(list()) -> {ok, pid()} | {error, term()}.
start_root(Opts) ->
    case nook_app:ensure_started() of
        ok -> start_port(Opts);
        {error, _} = Error -> Error
    end.

start_port(Opts) ->
    %% The port starts first and unlinked: a port that fails to start is a plain error
    %% return, never an exit signal to the caller.
    case nook_port:start(Opts) of
        {ok, Server} ->
            %% Until the root task holds it, the port is the caller's: a caller killed now
            %% takes it along.
            link(Server),
            %% Linked by hand, not started linked: the caller is not the task's OTP parent,
            %% whose exit would end it whoever owns it by then (a tree prepared by one
            %% process and handed to another, nook_pool). The owner's death ends it.
            case gen_statem:start(?MODULE, {root, Server, self()}, []) of
                {ok, Task} ->
                    link(Task),
                    unlink(Server),
                    {ok, Task};
                Error ->
                    unlink(Server),
                    nook_port:stop(Server),
                    Error
            end;
        {error, _} = Error ->
            Error
    end.

%% @doc Run a call in the task's process: its result, or raise what the port said.
-spec call(pid(), atom(), [term()]) -> term().
call(Task, Call, Args) ->
    unwrap(call_task(Task, {call, Call, Args}), Task, Args).

%% @doc A task request other than a plain call (fork, exec, stop helpers, introspection).
-spec request(pid(), term()) -> term().
request(Task, Request) ->
    unwrap(call_task(Task, Request), Task, [Request]).

%% @doc request/2 to each of Tasks, every one sent before any answer is awaited: the
%% answers in order, `{error, Reason}' for a task that raised or is gone.
-spec requests([pid()], term()) -> [term()].
requests(Tasks, Request) ->
    Ids = [gen_statem:send_request(T, Request) || T <- Tasks],
    [case gen_statem:receive_response(Id, infinity) of
         {reply, {result, Term}} -> Term;
         {reply, {raise, Reason}} -> {error, Reason};
         {error, {Reason, _}} -> {error, Reason}
     end || Id <- Ids].

%% A process that is no task would never answer: badarg at once. A dead one exits noproc, as
%% gen_statem says.
call_task(Task, Request) ->
    case nook_registry:check(Task) of
        not_task -> {raise, badarg};
        _ -> gen_statem:call(Task, Request, infinity)
    end.

%% @doc Raise badarg unless Task is a task or a process that has ended.
-spec check(term()) -> ok.
check(Task) ->
    case nook_registry:check(Task) of
        not_task -> erlang:error(badarg, [Task]);
        _ -> ok
    end.

%% @doc A call about Task that its parent process answers, sent without waiting: nobody
%% hears the reply (nook_stream's output credit, which must not cost a round trip).
-spec cast_via_parent(pid(), atom(), list()) -> ok.
cast_via_parent(Task, Call, Args) -> gen_statem:cast(Task, {via_parent, Call, Args}).

-spec cast(pid(), term()) -> ok.
cast(Task, Msg) ->
    ok = check(Task),
    gen_statem:cast(Task, Msg).

unwrap({result, Term}, _Task, _Args) -> Term;
unwrap({raise, Reason}, Task, Args) -> erlang:error(Reason, [Task | Args]).

-spec callback_mode() -> gen_statem:callback_mode_result().
callback_mode() -> handle_event_function.

-spec init(tuple()) -> gen_statem:init_result(call).
init({root, Server, Owner}) ->
    process_flag(trap_exit, true),
    link(Server),
    ok = nook_port:register(Server, [], self()),
    {ok, call, new_data(Server, nook_port:port(Server), [], Owner, undefined, Owner)};
init({child, Server, Port, Pipeline, Owner, Parent}) ->
    process_flag(trap_exit, true),
    ok = nook_port:register(Server, Pipeline, self()),
    {ok, call, new_data(Server, Port, Pipeline, Owner, Parent, undefined)}.

new_data(Server, Port, Pipeline, Owner, Parent, Creator) ->
    #data{server = Server, port = Port, pipeline = Pipeline, owner = Owner,
          owner_ref = monitor(process, Owner), creator = Creator, stdio = Owner,
          parent = Parent}.

%% ---- requests anyone may make, in any state ----

-spec handle_event(gen_statem:event_type(), term(), call | exec, #data{}) ->
    gen_statem:event_handler_result(call | exec).

handle_event({call, From}, pipeline, _State, D) ->
    {keep_state_and_data, [{reply, From, {result, D#data.pipeline}}]};
handle_event({call, From}, pidof, _State, D) ->
    {keep_state_and_data, [{reply, From, {result, os_pid(D)}}]};
handle_event({call, From}, parent, _State, D) ->
    Parent = case D#data.parent of undefined -> noproc; P -> P end,
    {keep_state_and_data, [{reply, From, {result, Parent}}]};
handle_event({call, From}, execed, State, _D) ->
    {keep_state_and_data, [{reply, From, {result, State =:= exec}}]};
handle_event({call, {Caller, _} = From}, fork, call, D) ->
    %% Anyone may fork a task; the caller owns the child.
    send_call(fork, [], {fork, From, Caller}, D);
handle_event({call, {Caller, _} = From}, {clone, Flags}, call, D) ->
    send_call(clone, [Flags], {fork, From, Caller}, D);
handle_event({call, {Caller, _} = From}, {kill_child, OsPid}, _State, D)
  when is_map_key(Caller, D#data.children) ->
    %% A child task being stopped asks us, its OS parent, to kill it.
    send_call(stop, [OsPid], {call, From}, D);
handle_event({call, From}, {drv_call, Call, Args}, State, D) ->
    %% prx_drv:call/4, from whoever holds the port, which drv/1 gives the owner: the funs of
    %% atexit/2 and sigaction/3 make their calls so.
    plain_call(From, Call, Args, State, D);
%% ---- the owner's requests ----
handle_event({call, {Caller, _} = From}, _Req, _State, #data{owner = Owner})
  when Caller =/= Owner ->
    {keep_state_and_data, [{reply, From, {raise, eacces}}]};
handle_event({call, From}, {controlling_process, Pid}, _State, D) ->
    case alive(Pid) of
        true ->
            demonitor(D#data.owner_ref, [flush]),
            D1 = D#data{owner = Pid, stdio = Pid, owner_ref = monitor(process, Pid)},
            {keep_state, D1, [{reply, From, {result, ok}}]};
        false ->
            {keep_state_and_data, [{reply, From, {result, {error, badarg}}}]}
    end;
handle_event({call, From}, {stdio, Pid}, _State, D) ->
    case alive(Pid) of
        true -> {keep_state, D#data{stdio = Pid}, [{reply, From, {result, ok}}]};
        false -> {keep_state_and_data, [{reply, From, {result, {error, badarg}}}]}
    end;
handle_event({call, From}, {notify, Pid}, _State, D) ->
    %% nook_notify's server takes the seccomp notifications of this task's listener.
    case alive(Pid) of
        true -> {keep_state, D#data{notify = Pid}, [{reply, From, {result, ok}}]};
        false -> {keep_state_and_data, [{reply, From, {result, {error, badarg}}}]}
    end;
handle_event({call, From}, {via_parent, Call, Args, Default}, _State, D) ->
    %% Calls about this task that its parent process answers (eof, setcpid, getcpid).
    case D#data.parent of
        undefined ->
            {keep_state_and_data, [{reply, From, {result, Default}}]};
        Parent ->
            gen_statem:cast(Parent, {child_call, From, Call, [os_pid(D) | Args]}),
            keep_state_and_data
    end;
handle_event({call, From}, drv, call, D) ->
    {keep_state_and_data, [{reply, From, {result, D#data.server}}]};
handle_event({call, From}, {atexit, Fun}, call, D) ->
    {keep_state, D#data{atexit = Fun}, [{reply, From, {result, ok}}]};
handle_event({call, From}, {signal_fun, Sig, none}, call, D) ->
    Funs = maps:remove(Sig, D#data.signal_funs),
    {keep_state, D#data{signal_funs = Funs}, [{reply, From, {result, ok}}]};
handle_event({call, From}, {signal_fun, Sig, Fun}, call, D) ->
    Funs = (D#data.signal_funs)#{Sig => Fun},
    {keep_state, D#data{signal_funs = Funs}, [{reply, From, {result, ok}}]};
handle_event({call, From}, {call, Call, Args}, State, D) ->
    plain_call(From, Call, Args, State, D);
handle_event({call, From}, _Req, exec, _D) ->
    {keep_state_and_data, [{reply, From, {raise, eacces}}]};
handle_event({call, From}, _Req, _State, _D) ->
    {keep_state_and_data, [{reply, From, {raise, badarg}}]};
%% ---- casts ----
handle_event(cast, {stdin, Data}, _State, #data{pipeline = [_ | _]} = D) ->
    send_stdin(iolist_to_binary(Data), D),
    keep_state_and_data;
handle_event(cast, {stdin, _}, _State, _D) ->
    keep_state_and_data; %% the root's stdin is the protocol channel
handle_event(cast, {via_parent, Call, Args}, _State, #data{parent = Parent} = D)
  when Parent =/= undefined ->
    %% Written to the port from here, not by the parent task: it goes before whatever this
    %% task writes next (its exec, say), which the parent process relays after it.
    {Parents, _} = lists:split(length(D#data.pipeline) - 1, D#data.pipeline),
    _ = case encode(Call, [os_pid(D) | Args], D#data{pipeline = Parents, next_id = ?UNANSWERED}) of
            {ok, Frame} -> command(D#data.port, Frame);
            {error, _} -> ok
        end,
    keep_state_and_data;
handle_event(cast, {via_parent, _, _}, _State, _D) ->
    keep_state_and_data;
handle_event(cast, {child_call, From, Call, Args}, _State, D) ->
    send_call(Call, Args, {relay, From}, D);
handle_event(cast, {audit, Info}, _State, D) ->
    %% A call nook_notify allowed and reports: it goes where output goes, before the output
    %% the call may lead to (the program waits for the answer sent after this).
    D#data.stdio ! {audit, self(), Info},
    keep_state_and_data;
%% ---- what the port says about this task ----
handle_event(info, {nook, _, {reply, Id, Kind, Term}}, _State, D) ->
    case maps:take(Id, D#data.pending) of
        {Pending, Rest} -> replied(Pending, Kind, Term, D#data{pending = Rest});
        error -> keep_state_and_data %% its caller gave up long ago
    end;
handle_event(info, {nook, _, {event, execed}}, _State, D) ->
    {Execs, Rest} = succeeded(exec, D#data.pending),
    {next_state, exec, D#data{pending = Rest}, Execs};
handle_event(info, {nook, _, {event, reexeced}}, _State, D) ->
    %% The new image of priv/nook says it runs: the reexec call succeeded.
    {Done, Rest} = succeeded(reexec, D#data.pending),
    {keep_state, D#data{pending = Rest}, Done};
handle_event(info, {nook, _, {event, {exit_status, _} = Exit}}, _State, D) ->
    exited(Exit, D);
handle_event(info, {nook, _, {event, {termsig, _} = Exit}}, _State, D) ->
    exited(Exit, D);
handle_event(info, {nook, _, {event, badpid}}, _State, D) ->
    fail_pending(badpid, D),
    {stop, normal, D#data{pending = #{}, exited = true}};
handle_event(info, {nook, _, {event, {signal, Sig, Info}}}, _State, D) ->
    _ = case D#data.signal_funs of
            #{Sig := Fun} -> run_apart(fun() -> Fun(D#data.server, D#data.pipeline, Sig, Info) end);
            _ -> D#data.owner ! {signal, self(), Sig, Info}
        end,
    keep_state_and_data;
handle_event(info, {nook, _, {event, {seccomp_notify, Notification}}}, _State, D) ->
    To = case D#data.notify of undefined -> D#data.owner; Pid -> Pid end,
    To ! {seccomp_notify, self(), Notification},
    keep_state_and_data;
handle_event(info, {nook, _, {event, {stdin, Error}}}, State, D) ->
    To = case State of exec -> D#data.stdio; call -> D#data.owner end,
    To ! {stdin, self(), Error},
    keep_state_and_data;
handle_event(info, {nook, _, {event, Other}}, _State, _D) ->
    logger:notice("nook: unexpected event ~p", [Other]),
    keep_state_and_data;
handle_event(info, {nook, _, {Stream, Bin}}, _State, D) when Stream =:= stdout; Stream =:= stderr ->
    D#data.stdio ! {Stream, self(), Bin},
    keep_state_and_data;
handle_event(info, {nook, [], {port_exit, Status}}, _State, D) ->
    case nook_port:exit_reason(Status) of
        {exit_status, N} -> exited({exit_status, N}, D);
        Reason -> {stop, {shutdown, {nook_exit, Reason}}, D#data{exited = true}}
    end;
%% ---- links and monitors ----
handle_event(info, {'DOWN', Ref, process, _, _}, _State, #data{owner_ref = Ref} = D) ->
    {stop, normal, D};
handle_event(info, {'EXIT', Pid, _}, _State, #data{parent = Pid} = D) ->
    %% The parent task is gone, and with it the OS parent that would have reaped us.
    {stop, normal, D#data{parent_gone = true}};
handle_event(info, {'EXIT', Pid, Reason}, _State, #data{server = Pid} = D) ->
    {stop, Reason, D#data{exited = true}};
handle_event(info, {'EXIT', Pid, _}, _State, #data{owner = Pid, creator = Pid} = D) ->
    {stop, normal, D};
handle_event(info, {'EXIT', Pid, _}, _State, D) ->
    case maps:take(Pid, D#data.children) of
        {OsPid, Children} ->
            ok = atexit(D#data.atexit, OsPid, D),
            {keep_state, D#data{children = Children}};
        error ->
            keep_state_and_data
    end;
handle_event(info, _Other, _State, _D) ->
    keep_state_and_data.

-spec terminate(term(), call | exec, #data{}) -> ok.
terminate(_Reason, _State, #data{pipeline = []} = D) ->
    nook_port:stop(D#data.server);
terminate(_Reason, _State, #data{parent_gone = false, exited = false} = D) ->
    kill_and_reap(D),
    nook_port:unregister(D#data.server, D#data.pipeline);
terminate(_Reason, _State, D) ->
    nook_port:unregister(D#data.server, D#data.pipeline).

%% stop/1 means the process is gone afterwards: the parent kills it, and we wait until the
%% parent reports it reaped.
kill_and_reap(#data{parent = Parent, pipeline = Pipeline} = D) ->
    try gen_statem:call(Parent, {kill_child, os_pid(D)}, ?REAP_WAIT_MS) of
        {result, ok} -> await_reaped(Pipeline);
        _ -> ok
    catch
        exit:_ -> ok
    end.

await_reaped(Pipeline) ->
    receive
        {nook, Pipeline, {event, {exit_status, _}}} -> ok;
        {nook, Pipeline, {event, {termsig, _}}} -> ok;
        {nook, Pipeline, {event, badpid}} -> ok
    after ?REAP_WAIT_MS ->
        ok
    end.

exited(Exit, D) ->
    D#data.stdio ! erlang:insert_element(2, Exit, self()),
    fail_pending(Exit, D),
    {stop, normal, D#data{pending = #{}, exited = true}}.

fail_pending(Reason, D) ->
    [gen_statem:reply(from(P), {raise, Reason}) || P <- maps:values(D#data.pending)],
    ok.

from({call, From}) -> From;
from({fork, From, _}) -> From;
from({exec, From}) -> From;
from({reexec, From}) -> From;
from({relay, From}) -> From.

replied({fork, From, Owner}, result, {ok, Pid}, D) ->
    Pipeline = D#data.pipeline ++ [Pid],
    {ok, Child} = gen_statem:start_link(?MODULE, {child, D#data.server, D#data.port, Pipeline,
                                                  Owner, self()}, []),
    Children = (D#data.children)#{Child => Pid},
    {keep_state, D#data{children = Children}, [{reply, From, {result, {ok, Child}}}]};
replied(Pending, Kind, Term, D) ->
    {keep_state, D, [{reply, from(Pending), {Kind, Term}}]}.

plain_call(From, Call, Args, call, D) when Call =:= execve; Call =:= execvp; Call =:= fexecve ->
    send_call(Call, Args, {exec, From}, D);
plain_call(From, reexec, Args, call, D) ->
    send_call(reexec, Args, {reexec, From}, D);
plain_call(From, Call, _Args, call, _D) when Call =:= fork; Call =:= clone ->
    %% A raw fork would leave a process without a task: refused, as prx does.
    {keep_state_and_data, [{reply, From, {result, {error, eagain}}}]};
plain_call(From, Call, Args, call, D) ->
    send_call(Call, Args, {call, From}, D);
plain_call(From, _Call, _Args, exec, _D) ->
    {keep_state_and_data, [{reply, From, {raise, eacces}}]}.

%% prx runs the atexit fun when a child task stops, given the child as its parent's cpid/1
%% lists it; nook has reaped the child, closed and forgotten its pipes by then (before the
%% exit that ends its task): their fds are -1, and cpid/1 lists it no more.
atexit(undefined, _OsPid, _D) ->
    ok;
atexit(Fun, OsPid, #data{server = Server, pipeline = Pipeline}) ->
    Cpid = #{pid => OsPid, stdin => -1, stdout => -1, stderr => -1, fdctl => -1},
    run_apart(fun() -> Fun(Server, Pipeline, Cpid) end).

%% A fun prx would run inside the task runs beside it: its calls (nook_port:call/4) go
%% through the task, which must be free to take them.
run_apart(Fun) ->
    _ = spawn(Fun),
    ok.

%% The calls of Kind waiting (exec, reexec), answered ok: an event, not a reply, says they
%% succeeded. The replies, and the calls still waiting.
succeeded(Kind, Pending) ->
    maps:fold(fun(Id, {K, From}, {Replies, Rest}) when K =:= Kind ->
                      {[{reply, From, {result, ok}} | Replies], maps:remove(Id, Rest)};
                 (_, _, Acc) ->
                      Acc
              end, {[], Pending}, Pending).

send_call(Call, Args, Pending, D) ->
    case encode(Call, Args, D) of
        {ok, Frame} ->
            Id = D#data.next_id,
            case command(D#data.port, Frame) of
                ok ->
                    Pendings = (D#data.pending)#{Id => Pending},
                    {keep_state, D#data{pending = Pendings, next_id = next_id(Id)}};
                {error, Reason} ->
                    {keep_state_and_data, raise(Pending, Reason)}
            end;
        {error, Reason} ->
            {keep_state_and_data, raise(Pending, Reason)}
    end.

raise(Pending, Reason) -> [{reply, from(Pending), {raise, Reason}}].

encode(Call, Args, D) ->
    case {nook_calls:id(Call), nook_calls:arity(Call)} of
        {undefined, _} ->
            {error, undef};
        {_, Arity} when Arity =/= length(Args) ->
            {error, badarg};
        {Id, _} ->
            try nook_codec:call(D#data.pipeline, D#data.next_id, Id, Args) of
                Frame ->
                    case iolist_size(Frame) =< nook_codec:frame_max() of
                        true -> {ok, Frame};
                        false -> {error, badarg}
                    end
            catch
                error:_ -> {error, badarg}
            end
    end.

command(Port, Frame) ->
    try
        true = erlang:port_command(Port, Frame),
        ok
    catch
        error:badarg -> {error, {nook_exit, port_closed}}
    end.

%% is_process_alive/1 takes local pids only; a remote one is taken as alive, and its monitor
%% says otherwise soon enough.
alive(Pid) when is_pid(Pid), node(Pid) =:= node() -> is_process_alive(Pid);
alive(Pid) when is_pid(Pid) -> true;
alive(_) -> false.

%% Request ids wrap around, skipping 0: nook_port's own.
next_id(Id) when Id >= ?UNANSWERED - 1 -> 1;
next_id(Id) -> Id + 1.

send_stdin(<<>>, _D) ->
    ok;
send_stdin(Bin, D) ->
    {Chunk, Rest} = case Bin of
                        <<C:?STDIN_CHUNK/binary, R/binary>> -> {C, R};
                        _ -> {Bin, <<>>}
                    end,
    _ = command(D#data.port, nook_codec:stdin(D#data.pipeline, Chunk)),
    send_stdin(Rest, D).

os_pid(#data{pipeline = [], port = Port}) ->
    case erlang:port_info(Port, os_pid) of
        {os_pid, P} -> P;
        undefined -> noproc
    end;
os_pid(#data{pipeline = Pipeline}) ->
    lists:last(Pipeline).
