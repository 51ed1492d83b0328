%% SPDX-License-Identifier: ISC
%% @doc A cgroup of its own for each container: its limits, its OOM kills, and a tree that
%% can be emptied and removed.
%%
%% Each node keeps its cgroups in a directory of its own, `nook.OSPID.STARTTIME', under the
%% BEAM's own cgroup in each hierarchy it can write to: cgroup v2 (the unified hierarchy, or
%% the delegated subtree named by the app env `cgroup_base'), and cgroup v1's memory, pids and
%% cpu hierarchies. A controller comes from v2 where v2 delegates it to us, else from v1. A v2
%% directory is made even with no controller: the container's processes are then tracked and
%% killed as one (cgroup.kill). The node directories of BEAMs that are gone (kill -9) are
%% removed when the next node starts its first container (nook_cgroup_keeper).
-module(nook_cgroup).

-export([controllers/0, create/1, add/2, enforces/2, oom_killed/1, remove/1, dirs/1,
         node_dirs/0, stale_node_dirs/0, remove_tree/1, remove_empty/1, orphans/1, detected/0,
         redetect/0]).

-export_type([cgroup/0]).

-define(CONTROLLERS, [memory, pids, cpu]).
-define(CACHE, {?MODULE, places}).
-define(CPU_PERIOD_US, 100000).

-type place() :: {v1 | v2, file:filename()}.
-type cgroup() :: #{dirs := [file:filename()], v2 := file:filename() | none,
                    memory := place() | none, pids := place() | none, cpu := place() | none}.

%% ---- where ----

%% @doc Per controller: the node directory it is enforced under, or why it cannot be.
-spec controllers() -> #{memory | pids | cpu => {ok, file:filename()} | {error, term()}}.
controllers() ->
    #{controllers := C} = places(),
    maps:map(fun(_, {ok, {_, Dir}}) -> {ok, Dir};
                (_, {error, _} = E) -> E
             end, C).

%% @doc The node's own directories, one per hierarchy in use.
-spec node_dirs() -> [file:filename()].
node_dirs() ->
    #{node_dirs := Dirs} = places(),
    Dirs.

%% @doc Whether this node has looked at its hierarchies yet (and may have made cgroups).
-spec detected() -> boolean().
detected() -> persistent_term:get(?CACHE, undefined) =/= undefined.

%% @doc The container cgroups in this node's directories that are not among Known (their
%% keeper was restarted, say).
-spec orphans([cgroup()]) -> [file:filename()].
orphans(Known) ->
    Dirs = lists:append([dirs(C) || C <- Known]),
    [D || Node <- node_dirs(), {ok, Names} <- [file:list_dir(Node)], Name <- Names,
          lists:prefix("c", Name), D <- [filename:join(Node, Name)],
          filelib:is_dir(D), not lists:member(D, Dirs)].

%% @doc Remove a cgroup directory if nothing runs in it: ok, or `{error, busy}'.
-spec remove_empty(file:filename()) -> ok | {error, term()}.
remove_empty(Dir) ->
    case prim_file:del_dir(Dir) of
        ok -> ok;
        {error, enoent} -> ok;
        {error, ebusy} -> {error, busy};
        {error, Reason} -> {error, {Dir, Reason}}
    end.

%% @doc Look again at the hierarchies (the app env or the mounts changed).
-spec redetect() -> ok.
redetect() ->
    persistent_term:erase(?CACHE),
    ok.

places() ->
    case persistent_term:get(?CACHE, undefined) of
        undefined ->
            Places = detect(),
            persistent_term:put(?CACHE, Places),
            Places;
        Places ->
            Places
    end.

detect() ->
    Mounts = mounts(),
    Own = own_cgroups(),
    Name = node_name(),
    V2 = detect_v2(Mounts, Own, Name),
    V1 = maps:from_list([{C, detect_v1(C, Mounts, Own, Name)} || C <- ?CONTROLLERS]),
    Controllers = maps:from_list(
                    [{C, case {V2, maps:get(C, V1)} of
                             {{ok, Dir, Enabled}, _} when is_map_key(C, Enabled) -> {ok, {v2, Dir}};
                             {_, {ok, Dir}} -> {ok, {v1, Dir}};
                             {{ok, _, _}, V1Error} -> V1Error;
                             {V2Error, _} -> V2Error
                         end} || C <- ?CONTROLLERS]),
    V2Dir = case V2 of {ok, D, _} -> D; _ -> none end,
    NodeDirs = lists:usort([D || {ok, {_, D}} <- maps:values(Controllers)]
                           ++ [D || D <- [V2Dir], D =/= none]),
    #{v2 => V2Dir, controllers => Controllers, node_dirs => NodeDirs}.

%% A v2 node directory, and which controllers it hands to its children.
detect_v2(Mounts, Own, Name) ->
    case [M || {cgroup2, M, _} <- Mounts] of
        [] ->
            {error, no_cgroup2_mount};
        [Mount | _] ->
            Base = case application:get_env(nook, cgroup_base) of
                       {ok, B} when is_list(B); is_binary(B) -> unicode:characters_to_list(B);
                       _ -> join(Mount, maps:get(v2, Own, "/"))
                   end,
            Dir = filename:join(Base, Name),
            case make_dir(Dir) of
                ok ->
                    Wanted = [C || C <- ?CONTROLLERS,
                                   lists:member(atom_to_list(C), words(join(Base, "cgroup.controllers")))],
                    Enabled = [C || C <- Wanted, enable(Base, C), enable(Dir, C)],
                    {ok, Dir, maps:from_keys(Enabled, true)};
                {error, Reason} ->
                    {error, {cgroup2, Base, Reason}}
            end
    end.

%% Enabling a controller in a cgroup that has processes of its own is refused (ebusy): then
%% it is not ours to hand down.
enable(Dir, Controller) ->
    File = join(Dir, "cgroup.subtree_control"),
    lists:member(atom_to_list(Controller), words(File))
        orelse file:write_file(File, "+" ++ atom_to_list(Controller), [raw]) =:= ok.

detect_v1(Controller, Mounts, Own, Name) ->
    case [M || {cgroup, M, Cs} <- Mounts, lists:member(Controller, Cs)] of
        [] ->
            {error, {no_cgroup_v1_mount, Controller}};
        [Mount | _] ->
            Dir = filename:join([join(Mount, maps:get(Controller, Own, "/")), Name]),
            case make_dir(Dir) of
                ok -> {ok, Dir};
                {error, Reason} -> {error, {cgroup_v1, Controller, filename:dirname(Dir), Reason}}
            end
    end.

%% {cgroup2, MountPoint, []} and {cgroup, MountPoint, Controllers} from /proc/self/mountinfo.
mounts() ->
    {ok, Bin} = read_file("/proc/self/mountinfo"),
    lists:filtermap(
      fun(Line) ->
              case string:split(Line, " - ") of
                  [Before, After] ->
                      Fields = string:lexemes(Before, " "),
                      MountPoint = unescape(lists:nth(5, Fields)),
                      case string:lexemes(After, " ") of
                          ["cgroup2" | _] -> {true, {cgroup2, MountPoint, []}};
                          ["cgroup", _, Opts] ->
                              Cs = [list_to_atom(O) || O <- string:lexemes(Opts, ","),
                                                       lists:member(O, ["memory", "pids", "cpu"])],
                              {true, {cgroup, MountPoint, Cs}};
                          _ -> false
                      end;
                  _ ->
                      false
              end
      end, string:lexemes(unicode:characters_to_list(Bin), "\n")).

unescape(Path) -> re:replace(Path, "\\\\040", " ", [global, {return, list}]).

%% The BEAM's own cgroup in each hierarchy: #{v2 => Path, memory => Path, ...}.
own_cgroups() ->
    {ok, Bin} = read_file("/proc/self/cgroup"),
    lists:foldl(
      fun(Line, Acc) ->
              case string:split(Line, ":", all) of
                  ["0", "", Path] -> Acc#{v2 => Path};
                  [_, Cs, Path] ->
                      lists:foldl(fun(C, A) -> A#{list_to_atom(C) => Path} end, Acc,
                                  [C || C <- string:lexemes(Cs, ","),
                                        lists:member(C, ["memory", "pids", "cpu"])]);
                  _ -> Acc
              end
      end, #{}, string:lexemes(unicode:characters_to_list(Bin), "\n")).

%% This BEAM, so that the next one can tell our directories from a live node's.
node_name() ->
    "nook." ++ os:getpid() ++ "." ++ start_time(os:getpid()).

start_time(OsPid) ->
    case read_file("/proc/" ++ OsPid ++ "/stat") of
        {ok, Stat} ->
            [_, After] = string:split(Stat, ")", trailing),
            %% Field 22 of stat, the 20th after the command name.
            binary_to_list(lists:nth(20, string:lexemes(After, " ")));
        {error, _} ->
            "gone"
    end.

%% @doc Node directories beside ours that no live BEAM owns.
-spec stale_node_dirs() -> [file:filename()].
stale_node_dirs() ->
    Ours = node_dirs(),
    lists:usort(
      [Dir || Parent <- lists:usort([filename:dirname(D) || D <- Ours]),
              {ok, Names} <- [file:list_dir(Parent)],
              Name <- Names,
              Dir <- [filename:join(Parent, Name)],
              not lists:member(Dir, Ours),
              case string:lexemes(Name, ".") of
                  ["nook", Pid, Start] -> start_time(Pid) =/= Start;
                  _ -> false
              end]).

%% ---- one container's cgroup ----

%% @doc A new cgroup with Limits set, or none when this node can make none.
-spec create(nook_limits:limits()) -> {ok, cgroup()} | none | {error, term()}.
create(Limits) ->
    #{v2 := V2, controllers := Controllers, node_dirs := NodeDirs} = places(),
    case NodeDirs of
        [] ->
            none;
        _ ->
            Leaf = "c" ++ integer_to_list(erlang:unique_integer([positive])),
            Place = fun(C) ->
                            case maps:get(C, Controllers) of
                                {ok, {Kind, Dir}} -> {Kind, filename:join(Dir, Leaf)};
                                {error, _} -> none
                            end
                    end,
            Cgroup = #{dirs => [filename:join(D, Leaf) || D <- NodeDirs],
                       v2 => case V2 of none -> none; _ -> filename:join(V2, Leaf) end,
                       memory => Place(memory), pids => Place(pids), cpu => Place(cpu)},
            case make_dirs(maps:get(dirs, Cgroup)) of
                ok ->
                    case set_limits(Cgroup, Limits) of
                        ok -> {ok, Cgroup};
                        {error, _} = Error -> _ = remove(Cgroup), Error
                    end;
                {error, _} = Error ->
                    _ = remove(Cgroup),
                    Error
            end
    end.

make_dirs([]) -> ok;
make_dirs([D | Ds]) ->
    case prim_file:make_dir(D) of
        ok -> make_dirs(Ds);
        {error, Reason} -> {error, {cgroup, D, Reason}}
    end.

set_limits(Cgroup, Limits) ->
    Writes = lists:append([limit_files(maps:get(C, Cgroup), C, maps:get(C, Limits, infinity))
                           || C <- ?CONTROLLERS]),
    write_all(Writes).

limit_files(none, _, _) -> [];
limit_files(_, _, infinity) -> [];
limit_files({v2, Dir}, pids, N) -> [{join(Dir, "pids.max"), N}];
limit_files({v1, Dir}, pids, N) -> [{join(Dir, "pids.max"), N}];
limit_files({v2, Dir}, memory, Bytes) ->
    %% The whole container goes on an OOM kill, not one process of it; no swap to hide in.
    [{join(Dir, "memory.max"), Bytes}, {join(Dir, "memory.oom.group"), 1}]
        ++ optional(join(Dir, "memory.swap.max"), 0);
limit_files({v1, Dir}, memory, Bytes) ->
    [{join(Dir, "memory.limit_in_bytes"), Bytes}]
        ++ optional(join(Dir, "memory.memsw.limit_in_bytes"), Bytes);
limit_files({v2, Dir}, cpu, Cpus) ->
    [{join(Dir, "cpu.max"), [quota(Cpus), " ", integer_to_list(?CPU_PERIOD_US)]}];
limit_files({v1, Dir}, cpu, Cpus) ->
    [{join(Dir, "cpu.cfs_period_us"), ?CPU_PERIOD_US}, {join(Dir, "cpu.cfs_quota_us"), quota(Cpus)}].

quota(Cpus) -> integer_to_list(max(1000, round(Cpus * ?CPU_PERIOD_US))).

optional(File, Value) ->
    case filelib:is_regular(File) of
        true -> [{File, Value}];
        false -> []
    end.

write_all([]) -> ok;
write_all([{File, Value} | Rest]) ->
    Data = case Value of V when is_integer(V) -> integer_to_list(V); V -> V end,
    case file:write_file(File, Data, [raw]) of
        ok -> write_all(Rest);
        {error, Reason} -> {error, {cgroup, File, Reason}}
    end.

%% @doc Move OsPid (with the threads and children it has yet to make) into the cgroup.
-spec add(cgroup(), non_neg_integer()) -> ok | {error, term()}.
add(#{dirs := Dirs}, OsPid) ->
    write_all([{join(D, "cgroup.procs"), OsPid} || D <- Dirs]).

%% @doc Whether the cgroup bounds Controller.
-spec enforces(cgroup() | none, memory | pids | cpu) -> boolean().
enforces(none, _) -> false;
enforces(Cgroup, Controller) -> maps:get(Controller, Cgroup) =/= none.

%% @doc Whether the kernel killed a process of the cgroup for going over its memory limit.
-spec oom_killed(cgroup() | none) -> boolean().
oom_killed(#{memory := {v2, Dir}}) -> counter(join(Dir, "memory.events"), "oom_kill") > 0;
oom_killed(#{memory := {v1, Dir}}) -> counter(join(Dir, "memory.oom_control"), "oom_kill") > 0;
oom_killed(_) -> false.

counter(File, Key) ->
    case read_file(File) of
        {ok, Bin} ->
            Pairs = [string:lexemes(L, " ") || L <- string:lexemes(binary_to_list(Bin), "\n")],
            case lists:keyfind(Key, 1, [list_to_tuple(P) || P <- Pairs, length(P) =:= 2]) of
                {_, N} -> list_to_integer(N);
                false -> 0
            end;
        {error, _} ->
            0
    end.

%% @doc The cgroup's directories, one per hierarchy.
-spec dirs(cgroup()) -> [file:filename()].
dirs(#{dirs := Dirs}) -> Dirs.

%% @doc Remove the cgroup: ok once every directory is gone, `{error, busy}' while processes
%% are still in it (they are killed; try again a little later).
-spec remove(cgroup()) -> ok | {error, term()}.
remove(#{dirs := Dirs}) ->
    Results = [remove_tree(D) || D <- Dirs],
    case [R || R <- Results, R =/= ok] of
        [] -> ok;
        [Error | _] -> Error
    end.

%% @doc Remove a cgroup directory and the ones below it, killing what is still in them.
-spec remove_tree(file:filename()) -> ok | {error, term()}.
remove_tree(Dir) ->
    Children = case file:list_dir(Dir) of
                   {ok, Names} -> [filename:join(Dir, N) || N <- Names,
                                                             filelib:is_dir(filename:join(Dir, N))];
                   {error, _} -> []
               end,
    _ = [remove_tree(C) || C <- Children],
    case prim_file:del_dir(Dir) of
        ok -> ok;
        {error, enoent} -> ok;
        {error, ebusy} -> kill_all(Dir), {error, busy};
        {error, Reason} -> {error, {Dir, Reason}}
    end.

%% What should never be there once its tree is stopped: one kill for every process left.
kill_all(Dir) ->
    case file:write_file(join(Dir, "cgroup.kill"), "1", [raw]) of
        ok ->
            ok;
        {error, _} ->
            case read_file(join(Dir, "cgroup.procs")) of
                {ok, Bin} when Bin =/= <<>> ->
                    Pids = string:lexemes(binary_to_list(Bin), "\n"),
                    _ = os:cmd("kill -KILL " ++ lists:join(" ", Pids) ++ " 2>/dev/null"),
                    ok;
                _ ->
                    ok
            end
    end.

%% ---- files ----

%% These go straight to the file system, not through the file server: several a container.
read_file(File) -> prim_file:read_file(File).

make_dir(Dir) ->
    case prim_file:make_dir(Dir) of
        ok -> ok;
        {error, eexist} -> ok;
        {error, _} = Error -> Error
    end.

words(File) ->
    case read_file(File) of
        {ok, Bin} -> string:lexemes(binary_to_list(Bin), " \n");
        {error, _} -> []
    end.

join(Dir, Name) -> filename:join(Dir, string:trim(Name, leading, "/")).
