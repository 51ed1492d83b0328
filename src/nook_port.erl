%% SPDX-License-Identifier: ISC
%% @doc Owns one Erlang port running priv/nook and routes what it says to the tasks.
%%
%% Tasks write their requests to the port themselves (port_command is atomic per frame);
%% everything the port sends comes here and goes to the task registered for its pipeline.
-module(nook_port).
-behaviour(gen_server).

-export([start/1, root_opts/0, port/1, register/3, unregister/2, stop/1, progname/0, exit_reason/1, call/4]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

%% Messages kept for a pipeline nobody has registered yet: a child's first output can arrive
%% before its parent task has started the child's task.
-define(UNCLAIMED_MAX, 1024).
-define(HELLO_TIMEOUT, 10000).
%% How long stopping waits for priv/nook to have killed its tree and exited.
-define(STOP_WAIT_MS, 5000).
%% The request id of the exit call that ends the tree on stop: tasks never use it.
-define(SHUTDOWN_REQ, 0).

-record(state, {
    port :: port(),
    tasks = #{} :: #{[nook:pid_t()] => pid()},
    unclaimed = #{} :: #{[nook:pid_t()] => [term()]}
}).

%% @doc The port program: priv/nook, or $NOOK_PROGNAME when set (a path, or a name in priv/:
%% `make test-asan' runs the suites with NOOK_PROGNAME=nook-asan).
-spec progname() -> file:filename().
progname() ->
    case os:getenv("NOOK_PROGNAME", "") of
        "" -> filename:join(priv_dir(), "nook");
        Name -> filename:join(priv_dir(), Name)
    end.

%% Asked of the code server once per node: every port start and container wants it. Kept
%% absolute: a code path relative to the working directory would have each container's
%% root check ask the file server for it.
priv_dir() ->
    case persistent_term:get({?MODULE, priv_dir}, undefined) of
        undefined ->
            Dir = filename:absname(
                    case code:priv_dir(nook) of
                        {error, bad_name} ->
                            filename:join(filename:dirname(filename:dirname(code:which(?MODULE))),
                                          "priv");
                        Found ->
                            Found
                    end),
            persistent_term:put({?MODULE, priv_dir}, Dir),
            Dir;
        Dir ->
            Dir
    end.

%% @doc Start the port, unlinked; `{exec, Prefix}' runs it under a command such as "sudo -n".
%% A port that cannot start is an error return and nothing else: no exit signal, no crash
%% report.
-spec start([{exec, string()} | {progname, file:filename()}]) -> {ok, pid()} | {error, term()}.
start(Opts) ->
    unwrap_start(gen_server:start(?MODULE, Opts, [])).

unwrap_start({error, {shutdown, Reason}}) -> {error, Reason};
unwrap_start(Other) -> Other.

%% @doc How a root is started on this node: under the app env's `exec' prefix, if any.
-spec root_opts() -> [{exec, string()}].
root_opts() ->
    case application:get_env(nook, exec, "") of
        "" -> [];
        Exec -> [{exec, Exec}]
    end.

-spec port(pid()) -> port().
port(Server) -> gen_server:call(Server, port, infinity).

%% @doc A call on the task of this port at Pipeline, from any process: prx_drv:call/4, by
%% which the funs of atexit/2 and sigaction/3 act. badpid: no task is there.
-spec call(pid(), [nook:pid_t()], atom(), [term()]) -> term().
call(Server, Pipeline, Call, Args) ->
    case gen_server:call(Server, {task, Pipeline}, infinity) of
        {ok, Task} -> nook_task:request(Task, {drv_call, Call, Args});
        error -> erlang:error(badpid, [Server, Pipeline, Call, Args])
    end.

-spec register(pid(), [nook:pid_t()], pid()) -> ok.
register(Server, Pipeline, Task) -> gen_server:call(Server, {register, Pipeline, Task}, infinity).

-spec unregister(pid(), [nook:pid_t()]) -> ok.
unregister(Server, Pipeline) -> gen_server:cast(Server, {unregister, Pipeline, self()}).

-spec stop(pid()) -> ok.
stop(Server) ->
    try
        gen_server:stop(Server)
    catch
        exit:_ -> ok
    end.

%% nook_task starts it (gen_server:start/3, unlinked). Opts: `{exec, Prefix}' runs priv/nook
%% under a command such as "sudo -n", `{progname, Path}' another program.
-spec init([{exec, string()} | {progname, file:filename()}]) -> {ok, #state{}} | {stop, term()}.
init(Opts) ->
    process_flag(trap_exit, true),
    Prog = proplists:get_value(progname, Opts, progname()),
    Exec = proplists:get_value(exec, Opts, ""),
    %% A failure to start is the caller's to report: stopped as a shutdown, it is not logged.
    %% Started directly, priv/nook is looked at only if it cannot be (a look through the file
    %% server costs every start a round trip); under a prefix, before.
    case {Exec =:= "" orelse built(Prog), command(Exec, Prog)} of
        {false, _} ->
            not_built(Prog);
        {true, {error, Reason}} ->
            {stop, {shutdown, Reason}};
        {true, {Exe, Args}} ->
            try open_port({spawn_executable, Exe},
                          [{args, Args}, {packet, 4}, binary, exit_status, use_stdio]) of
                Port ->
                    case await_hello(Port) of
                        {ok, _} = Ok -> Ok;
                        {stop, Reason} -> {stop, {shutdown, Reason}}
                    end
            catch
                error:Posix when is_atom(Posix) ->
                    case built(Prog) of
                        true -> {stop, {shutdown, Posix}};
                        false -> not_built(Prog)
                    end
            end
    end.

built(Prog) -> filelib:is_regular(Prog).

%% Not built (or built elsewhere): priv/nook is made by make, which rebar3 compile and mix
%% compile run.
not_built(Prog) -> {stop, {shutdown, {no_port_program, Prog}}}.

command(Exec, Prog) ->
    case string:lexemes(Exec, " ") of
        [] ->
            {Prog, []};
        [Cmd | Args] ->
            case os:find_executable(Cmd) of
                false -> {error, {exec_not_found, Cmd}};
                Exe -> {Exe, Args ++ [Prog]}
            end
    end.

await_hello(Port) ->
    Want = nook_calls:table_hash(),
    receive
        {Port, {data, Frame}} ->
            case nook_codec:decode(Frame) of
                {ok, [], {hello, {nook, _Version, Want}}} ->
                    {ok, #state{port = Port}};
                {ok, [], {hello, {nook, Version, Other}}} ->
                    catch port_close(Port),
                    {stop, {call_table_mismatch, #{binary_version => Version,
                                                   binary_hash => Other, library_hash => Want}}};
                _ ->
                    catch port_close(Port),
                    {stop, {bad_hello, Frame}}
            end;
        {Port, {exit_status, Status}} ->
            {stop, {nook_exit, exit_reason(Status)}}
    after ?HELLO_TIMEOUT ->
        catch port_close(Port),
        {stop, hello_timeout}
    end.

-spec handle_call(term(), gen_server:from(), #state{}) -> {reply, term(), #state{}}.
handle_call(port, _From, State) ->
    {reply, State#state.port, State};
handle_call({task, Pipeline}, _From, State) ->
    {reply, maps:find(Pipeline, State#state.tasks), State};
handle_call({register, Pipeline, Task}, _From, #state{tasks = Tasks, unclaimed = U} = State) ->
    true = nook_registry:add(Task),
    {Early, U1} = maps:take(Pipeline, U#{Pipeline => []}),
    lists:foreach(fun(Msg) -> Task ! {nook, Pipeline, Msg} end, lists:reverse(Early)),
    {reply, ok, State#state{tasks = Tasks#{Pipeline => Task}, unclaimed = U1}}.

-spec handle_cast(term(), #state{}) -> {noreply, #state{}}.
handle_cast({unregister, Pipeline, Task}, #state{tasks = Tasks, unclaimed = U} = State) ->
    case Tasks of
        #{Pipeline := Task} ->
            %% Whatever was kept for its children is nobody's now.
            U1 = maps:filter(fun(P, _) -> not lists:prefix(Pipeline, P) end, U),
            ok = nook_registry:remove([Task]),
            {noreply, State#state{tasks = maps:remove(Pipeline, Tasks), unclaimed = U1}};
        _ ->
            {noreply, State}
    end.

-spec handle_info(term(), #state{}) -> {noreply, #state{}} | {stop, term(), #state{}}.
handle_info({Port, {data, Frame}}, #state{port = Port} = State) ->
    case nook_codec:decode(Frame) of
        {ok, Pipeline, Msg} ->
            {noreply, route(Pipeline, Msg, State)};
        {error, Reason} ->
            logger:warning("nook: dropped an undecodable frame: ~p", [Reason]),
            {noreply, State}
    end;
handle_info({Port, {exit_status, Status}}, #state{port = Port, tasks = Tasks} = State) ->
    _ = case Tasks of
            #{[] := Root} -> Root ! {nook, [], {port_exit, Status}};
            _ -> ok
        end,
    {stop, {shutdown, {nook_exit, exit_reason(Status)}}, State};
handle_info({'EXIT', Port, Reason}, #state{port = Port} = State) ->
    {stop, {shutdown, {port_closed, Reason}}, State};
handle_info({'EXIT', _Pid, Reason}, State) ->
    {stop, Reason, State};
handle_info(_Other, State) ->
    {noreply, State}.

-spec terminate(term(), #state{}) -> ok.
terminate(_Reason, #state{port = Port, tasks = Tasks}) ->
    %% Tasks killed outright never unregister: they stop being tasks with their port.
    ok = nook_registry:remove(maps:values(Tasks)),
    %% exit/1 in the root kills and reaps its whole tree, then the port ends: waiting for that
    %% lets whoever stopped us rely on the tree being gone. A root that cannot take the call
    %% (stuck in a blocking one, or exit filtered) gets its input closed, then SIGKILL.
    OsPid = case erlang:port_info(Port, os_pid) of
                {os_pid, P} -> P;
                undefined -> undefined
            end,
    Exit = nook_codec:call([], ?SHUTDOWN_REQ, nook_calls:id(exit), [0]),
    case catch erlang:port_command(Port, Exit) of
        true -> await_exit(Port, OsPid);
        _ -> close_and_kill(Port, OsPid)
    end.

await_exit(Port, OsPid) ->
    receive
        {Port, {exit_status, _}} ->
            ok;
        {Port, {data, Frame}} ->
            case nook_codec:decode(Frame) of
                {ok, [], {reply, ?SHUTDOWN_REQ, raise, _}} -> close_and_kill(Port, OsPid);
                _ -> await_exit(Port, OsPid)
            end;
        {'EXIT', Port, _} ->
            await_gone(OsPid, ?STOP_WAIT_MS),
            ok
    after ?STOP_WAIT_MS ->
        close_and_kill(Port, OsPid)
    end.

close_and_kill(Port, OsPid) ->
    catch port_close(Port),
    case await_gone(OsPid, ?STOP_WAIT_MS) of
        ok ->
            ok;
        alive ->
            %% Stuck in a blocking call, it never saw its input end: kill it, and its
            %% children die with it (PR_SET_PDEATHSIG).
            _ = os:cmd("kill -KILL " ++ integer_to_list(OsPid)),
            _ = await_gone(OsPid, ?STOP_WAIT_MS),
            ok
    end.

await_gone(undefined, _) ->
    ok;
await_gone(_, Left) when Left =< 0 ->
    alive;
await_gone(OsPid, Left) ->
    case nook_procfs:alive(OsPid) of
        false ->
            ok;
        true ->
            timer:sleep(2),
            await_gone(OsPid, Left - 2)
    end.

route(Pipeline, {event, badpid} = Msg, #state{tasks = Tasks} = State) ->
    %% A request went to a process that is gone: every task at or below it is done for.
    maps:foreach(fun(P, T) ->
                         lists:prefix(Pipeline, P) andalso (T ! {nook, P, Msg})
                 end, Tasks),
    State;
route(_Pipeline, {event, {protocol_error, What}}, State) ->
    logger:warning("nook: the port reported a protocol error: ~p", [What]),
    State;
route(Pipeline, Msg, #state{tasks = Tasks, unclaimed = U} = State) ->
    case Tasks of
        #{Pipeline := Task} ->
            Task ! {nook, Pipeline, Msg},
            State;
        _ ->
            {Parent, _} = lists:split(max(length(Pipeline) - 1, 0), Pipeline),
            case maps:is_key(Parent, Tasks) andalso Pipeline =/= [] of
                true ->
                    Kept = maps:get(Pipeline, U, []),
                    case length(Kept) < ?UNCLAIMED_MAX of
                        true -> State#state{unclaimed = U#{Pipeline => [Msg | Kept]}};
                        false -> State
                    end;
                false ->
                    State
            end
    end.

%% @doc What an exit status of priv/nook means (c_src/protocol.def names its own).
-spec exit_reason(non_neg_integer()) -> term().
exit_reason(S) ->
    case nook_protocol:exit_reason(S) of
        undefined when S > 128 -> {termsig, S - 128};
        undefined -> {exit_status, S};
        Reason -> Reason
    end.
