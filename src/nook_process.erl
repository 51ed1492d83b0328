%% SPDX-License-Identifier: ISC
%% @doc A plain supervised process: its own session, a priority, resource limits, no new
%% privileges, killed with its supervisor; run as another user when nook runs as root.
%%
%% Config: `{priority, N}' (0), `{limits, #{...}}' (see nook_limits; by default only `core'
%% 0: a plain process is bounded like any other of the caller's; pids, memory and cpu limits
%% given here get a cgroup of its own where one can be made), `{rlimit, [{Resource, Limit}]}'
%% raw rlimits applied after the limits, `{uid, Uid}' and `{gid, Gid}' (when nook runs as
%% root), `{setuid, true}' to let setuid programs gain privileges (default false:
%% PR_SET_NO_NEW_PRIVS), `{environ, ["K=V"]}', `{seccomp, none | default | Policy}' (none;
%% see nook_seccomp), loaded last; `{landlock, Spec}' (nook_landlock: the files and ports
%% it may touch, which makes it a sandbox too), `{notify, Handlers}', `{audit, Syscalls}',
%% `{notify_timeout, Ms}', `{notify_default, Verdict}' (nook_notify: calls decided in
%% Erlang). Every behaviour of nook takes these.
-module(nook_process).
-behaviour(nook_behaviour).

-export([task/1, init/1, ops/1, ops/2, onerror/1, onexit/1, options/0]).
-export([port/0, supervise/1, process_ops/2, limit_ops/2, final_ops/1, policy_ops/2,
         drop_privileges/2, drop_ids/1, port_ids/1, common_options/0, cgroup/3]).

%% Calls a supervisor needs: make children, end them, steer their output and give them a
%% terminal, nothing else.
-define(SUPERVISOR_CALLS,
        [clone, close, exit, fork, getpid, kill, setcpid, getcpid, sigaction, stdin_write,
         eof, getuid, getgid, cpid, pty, winsize]).

-define(ID, {integer, 0, 16#fffffffe}).

%% @doc The options every behaviour of nook takes.
-spec common_options() -> nook_options:spec().
common_options() ->
    [{priority, {integer, -20, 19}},
     {limits, nook_limits:spec()},
     {rlimit, {list, fun({R, L}) -> (is_atom(R) orelse is_integer(R)) andalso rlimit_value(L);
                        (_) -> false
                     end}},
     {uid, ?ID}, {gid, ?ID},
     {setuid, boolean},
     {environ, {list, iodata}},
     {seccomp, fun(none) -> true; (default) -> true; (P) -> is_map(P) end},
     {landlock, nook_landlock:option()}
     | nook_notify:options()].

rlimit_value(#{cur := C, max := M} = L) when map_size(L) =:= 2 -> rlimit_int(C) andalso rlimit_int(M);
rlimit_value(N) -> rlimit_int(N).

rlimit_int(infinity) -> true;
rlimit_int(N) -> is_integer(N) andalso N >= 0.

%% @doc The options nook_process takes: common_options/0.
-spec options() -> nook_options:spec().
options() -> common_options().

%% @doc The supervisor task: a port of its own, restricted to what a supervisor does.
-spec task(nook_behaviour:config()) -> {ok, nook:task()} | {error, term()}.
task(_Config) ->
    case port() of
        {ok, Supervisor} -> supervise(Supervisor);
        {error, _} = Error -> Error
    end.

%% @doc A new port for a tree's supervisor, as nook:fork/0 makes one, with a failure that
%% says what it is (nook:fork/0 says only enoent, as prx does): a port program not built is
%% `{no_port_program, Path, HowToBuild}'.
-spec port() -> {ok, nook:task()} | {error, term()}.
port() ->
    case nook_task:start_root(nook_port:root_opts()) of
        {ok, _} = Ok ->
            Ok;
        {error, {no_port_program, Path}} ->
            {error, {no_port_program, Path,
                     "build it: make in nook's directory (rebar3 compile and mix compile run it)"}};
        {error, _} = Error ->
            Error
    end.

%% @doc Restrict a fresh port to what a supervisor does; its children start unrestricted.
-spec supervise(nook:task()) -> {ok, nook:task()} | {error, term()}.
supervise(Supervisor) ->
    ok = nook:filter(Supervisor, {allow, ?SUPERVISOR_CALLS}, []),
    {ok, Supervisor}.

%% @doc Fork the task that will exec from the supervisor, in a cgroup of its own when the
%% limits ask for pids, memory or cpu and one can be made.
-spec init(nook_behaviour:config()) ->
    fun((nook:task()) -> {ok, [nook:task(), ...], map()} | {error, term()}).
init(Config) ->
    Limits = nook_limits:resolve(process, Config),
    fun(Supervisor) ->
            %% Only a uid to run as asks whose the port is (once per node).
            PortUid = case proplists:is_defined(uid, Config) of
                          true -> element(1, port_ids(Supervisor));
                          false -> undefined
                      end,
            case nook:fork(Supervisor) of
                {ok, Child} ->
                    case cgroup(Limits, Supervisor, Child) of
                        {ok, Cgroup} ->
                            {ok, [Child], #{limits => Limits, cgroup => Cgroup, port_uid => PortUid}};
                        {error, _} = Error ->
                            Error
                    end;
                {error, _} = Error ->
                    Error
            end
    end.

%% @doc The uid and gid of a port's process: those of every port this node starts the same
%% way (the `exec' prefix), asked of the first one only.
-spec port_ids(nook:task()) -> {non_neg_integer(), non_neg_integer()}.
port_ids(Supervisor) ->
    Key = {?MODULE, port_ids, application:get_env(nook, exec, "")},
    case persistent_term:get(Key, undefined) of
        undefined ->
            {ok, [Uid, Gid]} = nook_op:batch(Supervisor, [{getuid, []}, {getgid, []}]),
            persistent_term:put(Key, {Uid, Gid}),
            {Uid, Gid};
        Ids ->
            Ids
    end.

%% @doc A cgroup for Task when Limits asks for what only a cgroup bounds, removed once
%% Supervisor ends; none where this node can make none.
-spec cgroup(nook_limits:limits(), nook:task(), nook:task()) ->
    {ok, nook_cgroup:cgroup() | none} | {error, term()}.
cgroup(Limits, Supervisor, Task) ->
    case [L || L <- [pids, memory, cpu], maps:get(L, Limits, infinity) =/= infinity] of
        [] ->
            {ok, none};
        _ ->
            case nook_cgroup_keeper:create(Limits, Supervisor) of
                {ok, none} ->
                    {ok, none};
                {ok, Cgroup} ->
                    case nook_cgroup:add(Cgroup, nook:pidof(Task)) of
                        ok -> {ok, Cgroup};
                        {error, _} = Error -> Error
                    end;
                {error, _} = Error ->
                    Error
            end
    end.

%% @doc ops/2 with the limits Config resolves to and no cgroup.
-spec ops(nook_behaviour:config()) -> [nook_op:op()].
ops(Config) -> ops(Config, #{limits => nook_limits:resolve(process, Config), cgroup => none}).

%% @doc What the task does before exec: a session of its own, process_ops/2, the configured
%% uid and gid when nook runs as root, final_ops/1, the seccomp policy if one is asked for.
-spec ops(nook_behaviour:config(), map()) -> [nook_op:op()].
ops(Config, Info) ->
    [{setsid, []},
     process_ops(Config, Info),
     case {proplists:is_defined(uid, Config), maps:get(port_uid, Info, undefined)} of
         {false, _} -> [];                                        % no ids to take
         {true, undefined} -> {?MODULE, drop_privileges, [Config]}; % asks the port's uid
         {true, PortUid} -> drop_ops(Config, PortUid)             % known: in the batch
     end,
     final_ops(Config),
     policy_ops(Config, none)].

%% @doc The last steps before exec, after every step that touches files: Landlock
%% (nook_landlock), the filter whose calls Erlang decides (nook_notify), then the seccomp
%% policy (nook_seccomp; Default when Config names none), which thus judges the program,
%% not the setup before it.
-spec policy_ops(nook_behaviour:config(), default | none) -> [nook_op:op()].
policy_ops(Config, Default) ->
    [nook_landlock:ops(Config), nook_notify:ops(Config), nook_seccomp:ops(Config, Default)].

%% @doc Priority and limits of the process that will exec.
-spec process_ops(nook_behaviour:config(), map()) -> [nook_op:op()].
process_ops(Config, Info) ->
    [{setpriority, [prio_process, 0, proplists:get_value(priority, Config, 0)]},
     limit_ops(Config, Info)].

%% @doc The rlimits: those of the `limits' option, then the raw `rlimit' ones.
-spec limit_ops(nook_behaviour:config(), map()) -> [nook_op:op()].
limit_ops(Config, Info) ->
    [nook_limits:rlimit_ops(maps:get(limits, Info), maps:get(cgroup, Info, none),
                            maps:get(userns, Info, false)),
     [{setrlimit, [Resource, limit(Limit)]} || {Resource, Limit} <- proplists:get_value(rlimit, Config, [])]].

%% @doc The last steps before the filter: no new privileges unless asked, death with the
%% parent. After any change of ids, which clears the death signal.
-spec final_ops(nook_behaviour:config()) -> [nook_op:op()].
final_ops(Config) ->
    [case proplists:get_value(setuid, Config, false) of
         true -> [];
         false -> {prctl, [pr_set_no_new_privs, 1, 0, 0, 0]}
     end,
     {prctl, [pr_set_pdeathsig, sigkill, 0, 0, 0]}].

%% A limit given as one number is both.
limit(#{cur := _, max := _} = Limit) -> Limit;
limit(N) -> #{cur => N, max => N}.

%% @doc As root with `{uid, U}' configured: no groups, then gid and uid for good.
-spec drop_privileges(nook:task(), nook_behaviour:config()) -> ok | [nook_op:op()].
drop_privileges(Task, Config) ->
    case proplists:get_value(uid, Config) of
        Uid when is_integer(Uid) -> drop_ops(Config, nook:getuid(Task));
        _ -> ok
    end.

%% Plain calls, in the batch with the rest: the port's uid is known.
drop_ops(Config, 0) ->
    case proplists:get_value(uid, Config) of
        Uid when is_integer(Uid) -> drop_ids({Uid, proplists:get_value(gid, Config, Uid)});
        _ -> []
    end;
drop_ops(_Config, _PortUid) ->
    [].

%% @doc Root's groups and ids given up for good for Uid and Gid (false: nothing to give up).
-spec drop_ids(false | {non_neg_integer(), non_neg_integer()}) -> [nook_op:op()].
drop_ids(false) -> [];
drop_ids({Uid, Gid}) -> [{setgroups, [[]]}, {setresgid, [Gid, Gid, Gid]}, {setresuid, [Uid, Uid, Uid]}].

%% @doc Nothing to undo on a failed start: stopping the supervisor ends everything.
-spec onerror(nook_behaviour:config()) -> fun((nook_behaviour:tree()) -> ok).
onerror(_Config) -> fun(_Tree) -> ok end.

%% @doc Nothing to do at the end: stopping the supervisor kills and reaps the child and all
%% it left behind.
-spec onexit(nook_behaviour:config()) -> fun((nook_behaviour:tree()) -> ok).
onexit(_Config) -> fun(_Tree) -> ok end.
