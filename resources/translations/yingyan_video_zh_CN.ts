<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CameraListModel</name>
    <message>
        <location filename="../../desktop/video/camera_list.py" line="64"/>
        <source>Camera</source>
        <translation>摄像机</translation>
    </message>
    <message>
        <location filename="../../desktop/video/camera_list.py" line="65"/>
        <source>Office / window</source>
        <translation>办事处 / 窗口</translation>
    </message>
    <message>
        <location filename="../../desktop/video/camera_list.py" line="66"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/video/camera_list.py" line="83"/>
        <source>disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../../desktop/video/camera_list.py" line="85"/>
        <source>not shown</source>
        <translation>未上墙</translation>
    </message>
</context>
<context>
    <name>Tile</name>
    <message>
        <location filename="../../desktop/video/tile.py" line="220"/>
        <source>Empty tile</source>
        <translation>空窗格</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="226"/>
        <source>main</source>
        <translation>主码流</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="226"/>
        <source>sub</source>
        <translation>子码流</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="231"/>
        <source>RED ALERT {rule}</source>
        <translation>红色警示 {rule}</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="233"/>
        <source>case {case}</source>
        <translation>办件 {case}</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="235"/>
        <source>+{n} more</source>
        <translation>另有 {n} 条</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="240"/>
        <source>Drag a camera here</source>
        <translation>将摄像机拖到此处</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="242"/>
        <source>Camera disabled</source>
        <translation>摄像机已停用</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="245"/>
        <source>This VLC has no RTSP client (live555). Install the full VLC build with RTSP support, or configure an HTTP or RTP stream for this camera.</source>
        <translation>此 VLC 没有 RTSP 客户端（live555）。请安装带 RTSP 支持的完整版 VLC，或为该摄像机配置 HTTP 或 RTP 流。</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="248"/>
        <source>No signal, reconnecting…</source>
        <translation>无信号，正在重连…</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="260"/>
        <source>{fps:.1f} fps</source>
        <translation>{fps:.1f} 帧/秒</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="261"/>
        <source>last frame {age:.1f} s ago</source>
        <translation>末帧 {age:.1f} 秒前</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="262"/>
        <source>no frame yet</source>
        <translation>尚无画面</translation>
    </message>
</context>
<context>
    <name>TileState</name>
    <message>
        <location filename="../../desktop/video/tile.py" line="51"/>
        <source>no camera</source>
        <translation>无摄像机</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="52"/>
        <source>connecting</source>
        <translation>连接中</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="53"/>
        <source>playing</source>
        <translation>播放中</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="54"/>
        <source>stalled</source>
        <translation>卡顿</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="55"/>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../desktop/video/tile.py" line="56"/>
        <source>unsupported</source>
        <translation>不支持</translation>
    </message>
</context>
<context>
    <name>VideoWall</name>
    <message>
        <location filename="../../desktop/video/wall.py" line="337"/>
        <source>Tile {n} has no picture to take</source>
        <translation>窗格 {n} 没有可截取的画面</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <location filename="../../desktop/video/window.py" line="54"/>
        <source>Yingyan video wall</source>
        <translation>鹰眼 视频墙</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="65"/>
        <source>Filter cameras, offices, windows…</source>
        <translation>筛选摄像机、办事处、窗口…</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="82"/>
        <source>Cameras</source>
        <translation>摄像机</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="87"/>
        <source>Wall</source>
        <translation>视频墙</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="92"/>
        <source>Layout</source>
        <translation>布局</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="95"/>
        <source>Save view…</source>
        <translation>保存视图…</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="97"/>
        <source>Tour</source>
        <translation>轮巡</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="100"/>
        <source>Snapshot as evidence</source>
        <translation>截图取证</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="103"/>
        <source>Full screen</source>
        <translation>全屏</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="144"/>
        <source>View: {name}</source>
        <translation>视图：{name}</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="174"/>
        <source>Save view</source>
        <translation>保存视图</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="174"/>
        <source>Name of this view:</source>
        <translation>视图名称：</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="179"/>
        <source>View saved: {name}</source>
        <translation>视图已保存：{name}</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="199"/>
        <source>Snapshot of {camera} stored as evidence {sha}</source>
        <translation>{camera} 的截图已存证 {sha}</translation>
    </message>
    <message>
        <location filename="../../desktop/video/window.py" line="228"/>
        <source>playing {p}/{n} · no signal {o} · red alerts {a}</source>
        <translation>播放 {p}/{n} · 无信号 {o} · 红色警示 {a}</translation>
    </message>
</context>
</TS>
