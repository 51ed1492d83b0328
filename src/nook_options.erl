%% SPDX-License-Identifier: ISC
%% @doc Options checked before anything starts: a typo or a mis-shaped value is
%% `{error, {badopt, Opt}}', never a silent default.
%%
%% A module that takes options says which with `options() -> [{Key, Type}]'. Config may be a
%% proplist or a map; what comes back is a proplist with each key once (the first given wins,
%% as with proplists). Types:
%% `boolean', `{integer, Min, Max}' (Max may be `infinity', and then the atom `infinity' is
%% accepted too), `{oneof, [term()]}', `iodata' (no NUL byte), `{list, Type}',
%% `{map, [{Key, Type}]}' (a map or proplist of those keys), `{'or', [Type]}', `any', or a
%% fun returning true for a good value.
-module(nook_options).

-export([check/2, split/2, valid/2]).

-export_type([spec/0, type/0]).

-type type() :: boolean | {integer, integer(), integer() | infinity} | {oneof, [term()]}
              | iodata | {list, type()} | {map, spec()} | {'or', [type()]} | any
              | fun((term()) -> boolean()).
-type spec() :: [{atom(), type()}].

%% @doc Check Config against Spec: every key known, every value of its type.
-spec check(spec(), term()) -> {ok, [{atom(), term()}]} | {error, {badopt, term()}}.
check(Spec, Config) ->
    case pairs(Config) of
        {ok, Pairs} -> check_pairs(Spec, Pairs, []);
        {error, _} = Error -> Error
    end.

%% @doc Split Config into the options of Spec (checked) and the rest, for another module to
%% judge: `{ok, Mine, Rest}'.
-spec split(spec(), term()) ->
    {ok, [{atom(), term()}], [{atom(), term()}]} | {error, {badopt, term()}}.
split(Spec, Config) ->
    case pairs(Config) of
        {ok, Pairs} ->
            {Mine, Rest} = lists:partition(fun({K, _}) -> lists:keymember(K, 1, Spec) end, Pairs),
            case check_pairs(Spec, Mine, []) of
                {ok, Checked} -> {ok, Checked, Rest};
                {error, _} = Error -> Error
            end;
        {error, _} = Error ->
            Error
    end.

%% A proplist or a map as {Key, Value} pairs. A bare atom in a proplist is {Atom, true}, as
%% proplists reads it, and is judged as that.
pairs(Map) when is_map(Map) ->
    {ok, maps:to_list(Map)};
pairs(List) when is_list(List) ->
    try {ok, [pair(E) || E <- List]}
    catch throw:{badopt, _} = Bad -> {error, Bad}
    end;
pairs(Other) ->
    {error, {badopt, Other}}.

pair({K, V}) when is_atom(K) -> {K, V};
pair(K) when is_atom(K) -> {K, true};
pair(E) -> throw({badopt, E}).

check_pairs(_Spec, [], Acc) ->
    {ok, lists:reverse(Acc)};
check_pairs(Spec, [{K, V} | Rest], Acc) ->
    case lists:keyfind(K, 1, Spec) of
        {K, Type} ->
            case {valid(Type, V), lists:keymember(K, 1, Acc)} of
                {false, _} -> {error, {badopt, {K, V}}};
                {true, true} -> check_pairs(Spec, Rest, Acc); % the first given wins
                {true, false} -> check_pairs(Spec, Rest, [{K, normal(Type, V)} | Acc])
            end;
        false ->
            {error, {badopt, {K, V}}}
    end.

%% Nested option maps come back as maps, whatever shape they were given in.
normal({map, _}, V) when is_list(V) -> maps:from_list([pair(E) || E <- V]);
normal(_, V) -> V.

%% @doc Whether V is of Type.
-spec valid(type(), term()) -> boolean().
valid(any, _) -> true;
valid(boolean, V) -> is_boolean(V);
valid({integer, _, infinity}, infinity) -> true;
valid({integer, Min, Max}, V) ->
    is_integer(V) andalso V >= Min andalso (Max =:= infinity orelse V =< Max);
valid({oneof, Values}, V) -> lists:member(V, Values);
valid(iodata, V) ->
    try iolist_to_binary(V) of
        Bin -> binary:match(Bin, <<0>>) =:= nomatch
    catch
        error:badarg -> false
    end;
valid({list, Type}, V) -> is_list(V) andalso lists:all(fun(E) -> valid(Type, E) end, V);
valid({map, Spec}, V) ->
    case pairs(V) of
        {ok, Pairs} -> element(1, check_pairs(Spec, Pairs, [])) =:= ok;
        {error, _} -> false
    end;
valid({'or', Types}, V) -> lists:any(fun(T) -> valid(T, V) end, Types);
valid(Fun, V) when is_function(Fun, 1) -> Fun(V) =:= true.
